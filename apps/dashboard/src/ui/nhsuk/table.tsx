// The NHS design system's table (nhsuk-table) for the staff lists, with server-side sorting (a
// link in each sortable header cell and aria-sort, the "sortable server-side" pattern) and, below
// 990 px, each row drawn as a card of label and value (the "responsive table" pattern, moved from
// its 769 px breakpoint to 990 px so a tablet in portrait or landscape gets cards rather than a
// table wider than the screen).
import Link from 'next/link';
import type { ReactNode } from 'react';
import styles from './table.module.css';

export type SortState = 'ascending' | 'descending' | 'none';
export type Direction = 'asc' | 'desc';

export interface ColumnSort {
  readonly href: string;
  /** How the list is sorted by this column now ('none': by another). */
  readonly state: SortState;
  /** What following the link does, in words ("oldest first"). */
  readonly next: string;
}

export interface Column<Row> {
  readonly id: string;
  readonly label: string;
  /** The header is read by screen readers only, and the card shows no label (an action). */
  readonly hideLabel?: boolean;
  readonly sort?: ColumnSort;
  readonly cell: (row: Row) => ReactNode;
}

/**
 * A column's sort link: following it sorts by the column, in its first direction, or the other
 * way when the list is already sorted by it that way.
 */
export function columnSort(options: {
  readonly column: string;
  readonly current: { readonly sort: string; readonly direction: Direction };
  /** The direction a first click gives. */
  readonly first: Direction;
  /** Words for each direction ("earliest first"). */
  readonly words: Readonly<Record<Direction, string>>;
  readonly href: (sort: string, direction: Direction) => string;
}): ColumnSort {
  const active = options.current.sort === options.column;
  const next: Direction =
    active && options.current.direction === options.first
      ? options.first === 'asc'
        ? 'desc'
        : 'asc'
      : options.first;
  return {
    href: options.href(options.column, next),
    state: active ? (options.current.direction === 'asc' ? 'ascending' : 'descending') : 'none',
    next: options.words[next],
  };
}

// The table's own roles, written out: below 990 px its parts are display: block, and some browsers
// then stop reporting them as a table (nhsuk's responsive table sets the same roles for this).
const ROLES = {
  table: { role: 'table' },
  rowgroup: { role: 'rowgroup' },
  row: { role: 'row' },
  columnheader: { role: 'columnheader' },
  cell: { role: 'cell' },
} as const;

const ARROW: Record<SortState, string> = { ascending: ' ▲', descending: ' ▼', none: '' };

export function DataTable<Row>(props: {
  readonly caption: string;
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row) => string;
  /** Words for the current order, said after the caption and above the cards ("highest risk first"). */
  readonly order?: string;
}) {
  const sortable = props.columns.filter((column) => column.sort);
  return (
    <div className={styles.wrap}>
      {sortable.length > 0 ? (
        // Below 990 px the header row is hidden, so its sort links are repeated here.
        <p className={`nhsuk-body-s ${styles.narrowSort}`}>
          {props.order ? <>Sorted {props.order}. </> : null}Sort by:{' '}
          {sortable.map((column, i) => (
            <span key={column.id}>
              {i > 0 ? ' · ' : null}
              <Link className="nhsuk-link" href={column.sort?.href ?? ''}>
                {column.label}, {column.sort?.next}
              </Link>
            </span>
          ))}
        </p>
      ) : null}
      <table className={`nhsuk-table ${styles.table}`} {...ROLES.table}>
        <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
          {props.caption}
          {props.order ? `, ${props.order}` : ''}
          {sortable.length > 0 ? ' (headers with links sort the list)' : ''}
        </caption>
        <thead className="nhsuk-table__head" {...ROLES.rowgroup}>
          <tr className="nhsuk-table__row" {...ROLES.row}>
            {props.columns.map((column) => (
              <th
                key={column.id}
                className="nhsuk-table__header"
                scope="col"
                {...ROLES.columnheader}
                aria-sort={column.sort?.state}
              >
                {column.hideLabel ? (
                  <span className="nhsuk-u-visually-hidden">{column.label}</span>
                ) : column.sort ? (
                  <Link
                    className="nhsuk-link"
                    href={column.sort.href}
                    title={`Sort by ${column.label.toLowerCase()}, ${column.sort.next}`}
                  >
                    {column.label}
                    <span aria-hidden="true">{ARROW[column.sort.state]}</span>
                  </Link>
                ) : (
                  column.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)} className="nhsuk-table__row" {...ROLES.row}>
              {props.columns.map((column) => (
                <td
                  key={column.id}
                  className={`nhsuk-table__cell ${column.hideLabel ? styles.action : ''}`}
                  {...ROLES.cell}
                >
                  {column.hideLabel ? null : (
                    <span className={styles.heading} aria-hidden="true">
                      {column.label}
                    </span>
                  )}
                  <div className={styles.value}>{column.cell(row)}</div>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
