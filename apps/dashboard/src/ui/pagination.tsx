import Link from 'next/link';

/** Previous / next links that keep the page's other query parameters. */
export function Pagination(props: {
  path: string;
  params: Record<string, string | undefined>;
  page: number;
  pageSize: number;
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const href = (page: number) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(props.params)) if (value) query.set(key, value);
    query.set('page', String(page));
    return `${props.path}?${query}`;
  };
  const first = props.total === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const last = Math.min(props.total, props.page * props.pageSize);
  return (
    <nav className="pagination" aria-label="Pages">
      <span>
        {first}-{last} of {props.total}
      </span>
      {props.page > 1 ? <Link href={href(props.page - 1)}>Previous page</Link> : null}
      {props.page < pages ? <Link href={href(props.page + 1)}>Next page</Link> : null}
    </nav>
  );
}
