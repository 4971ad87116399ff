import type { NextConfig } from 'next';

/** What @vfx/documents loads at run time: pdfmake, its Roboto font file, fontkit. */
const isPdfRuntime = (request: string | undefined): boolean =>
  request === 'pdfmake' || request === 'fontkit' || request?.startsWith('pdfmake/') === true;

const config: NextConfig = {
  // The workspace packages export TypeScript source.
  transpilePackages: ['@vfx/domain', '@vfx/database', '@vfx/fhir', '@vfx/documents'],
  // Database drivers (and pdfmake, which loads its font metrics at run time) run as Node modules, not bundled.
  serverExternalPackages: ['pg', '@prisma/adapter-pg', '@prisma/client', 'pdfmake'],
  poweredByHeader: false,
  // A second build or dev server beside the first (the browser tests build their own).
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // The workspace packages are ESM TypeScript, whose imports name the compiled ".js" file.
  // Turbopack cannot map those to ".ts" sources yet (vercel/next.js#82945), so the dashboard
  // builds with webpack, which can.
  webpack: (webpackConfig, { isServer }) => {
    webpackConfig.resolve.extensionAlias = {
      ...webpackConfig.resolve.extensionAlias,
      '.js': ['.ts', '.tsx', '.js'],
    };
    // The generated Prisma client is TypeScript inside @vfx/database, so it is bundled, and so
    // was the runtime it imports (serverExternalPackages does not reach imports made from
    // transpiled workspace code). Each page bundle then had its own runtime, and a Prisma.sql
    // fragment from one was not recognised by a client made by another ("syntax error at $1").
    // Loading the runtime from node_modules gives every bundle the same one (which is why the
    // dashboard depends on @prisma/client itself: `next start` must find it).
    // pdfmake and fontkit likewise: @vfx/documents (transpiled) requires them, and bundled,
    // pdfmake's pdfkit cannot find the data it reads from its own folder at run time (ENOENT on
    // Helvetica's metrics), so they are loaded from node_modules, and the dashboard depends on
    // them for `next start` to find them.
    if (isServer) {
      webpackConfig.externals = [
        ...(Array.isArray(webpackConfig.externals)
          ? webpackConfig.externals
          : [webpackConfig.externals]),
        (
          { request }: { request?: string },
          callback: (error?: Error | null, result?: string) => void,
        ) =>
          request === '@prisma/client/runtime/client' || isPdfRuntime(request)
            ? callback(null, `commonjs ${request}`)
            : callback(),
      ];
    }
    return webpackConfig;
  },
};

export default config;
