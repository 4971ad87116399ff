import type { NextConfig } from 'next';

const config: NextConfig = {
  // The workspace packages export TypeScript source.
  transpilePackages: ['@vfx/domain', '@vfx/database'],
  // Database drivers run as Node modules, not bundled.
  serverExternalPackages: ['pg', '@prisma/adapter-pg', '@prisma/client'],
  poweredByHeader: false,
  // A second build or dev server beside the first (the browser tests build their own).
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // The workspace packages are ESM TypeScript, whose imports name the compiled ".js" file.
  // Turbopack cannot map those to ".ts" sources yet (vercel/next.js#82945), so the dashboard
  // builds with webpack, which can.
  webpack: (webpackConfig) => {
    webpackConfig.resolve.extensionAlias = {
      ...webpackConfig.resolve.extensionAlias,
      '.js': ['.ts', '.tsx', '.js'],
    };
    return webpackConfig;
  },
};

export default config;
