import {
  caseloadHolders,
  type OverdueRow,
  overdueSteps,
  unappliedSince,
} from '@vfx/database/views';
import { OVERDUE_RISK_TIERS, SOURCE_DOCUMENTS, type SourceRef } from '@vfx/domain';
import Link from 'next/link';
import { db } from '@/server/db';
import { recordRead, requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { Citations } from '@/ui/citations';
import { formatDateTime, overdueBy } from '@/ui/dates';
import { formatIdentifier, patientName } from '@/ui/identity';
import { type Column, columnSort, DataTable, type Direction } from '@/ui/nhsuk/table';
import { RiskTag, riskTotalsText, StatusBadge } from '@/ui/status';
import { StatusesAsOf } from '@/ui/statuses-as-of';
import {
  NO_NURSE,
  overdueHref,
  overdueStepChoices,
  parseOverdueSearch,
  type Search,
} from './filters';
import styles from './overdue.module.css';
import { overdueSince } from './view';

export const metadata = { title: 'Overdue steps · Fracture liaison' };

const PATH = '/admin/overdue';
const number = new Intl.NumberFormat('en-GB');
const plural = (n: number, one: string, many = `${one}s`) =>
  `${number.format(n)} ${n === 1 ? one : many}`;

const OVERDUE_WORDS: Record<Direction, string> = {
  desc: 'longest overdue first',
  asc: 'most recently overdue first',
};

const cite = (ref: SourceRef) => ({
  ...ref,
  title: SOURCE_DOCUMENTS[ref.document].title,
  file: SOURCE_DOCUMENTS[ref.document].file,
});

function columns(
  zone: string,
  href: (sort: string, direction: Direction) => string,
  order: { sort: string; direction: Direction },
): Column<OverdueRow>[] {
  return [
    {
      id: 'risk',
      label: 'Risk',
      sort: {
        href: href('risk', 'desc'),
        state: order.sort === 'risk' ? 'descending' : 'none',
        next: 'highest risk first',
      },
      cell: (row) => <RiskTag tier={row.riskTier} />,
    },
    {
      id: 'patient',
      label: 'Patient',
      cell: (row) => (
        <>
          <Link className="nhsuk-link" href={`/episodes/${encodeURIComponent(row.episodeId)}`}>
            {patientName(row)}
          </Link>
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            {formatIdentifier(row.identifierKind, row.identifierValue)}
          </div>
        </>
      ),
    },
    {
      id: 'step',
      label: 'Step',
      // The risk column says how urgent it is; the status is the step's own.
      cell: (row) => (
        <>
          <div>{row.title}</div>
          <StatusBadge status={row.status} />
        </>
      ),
    },
    {
      id: 'overdue',
      label: 'Overdue',
      sort: columnSort({
        column: 'overdue',
        current: order,
        first: 'desc',
        words: OVERDUE_WORDS,
        href,
      }),
      cell: (row) => (
        <>
          <strong>{overdueBy(row.daysOverdue)}</strong>
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            Overdue from {overdueSince(row, zone)}
          </div>
        </>
      ),
    },
    {
      id: 'nurse',
      label: 'Nurse',
      cell: (row) => row.nurseName ?? 'No nurse assigned',
    },
  ];
}

export default async function OverduePage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePermission('overdue.view');
  const params = await searchParams;
  const zone = await userTimeZone();
  const now = new Date();
  const nurses = await caseloadHolders(db());
  const steps = overdueStepChoices();
  const parsed = parseOverdueSearch(params, {
    nurseIds: new Set(nurses.map((n) => n.id)),
    stepIds: new Set(steps.map((s) => s.id)),
  });
  const { values, problems } = parsed;
  const invalid = Object.keys(problems).length > 0;
  const result = invalid
    ? undefined
    : await overdueSteps(
        db(),
        parsed.filters,
        { now, timeZone: zone },
        { page: parsed.page },
        parsed.order,
      );
  const { order } = parsed;
  const behindSince = await unappliedSince(db(), now);
  if (result) {
    await recordRead(user, {
      action: 'overdue.viewed',
      entityType: 'overdue',
      entityId: 'overdue-steps',
      details: { filters: values, order, page: parsed.page, total: result.total },
    });
  }
  const filtered = Boolean(values.step || values.nurse || values.days);
  const errorProps = (field: keyof typeof problems) =>
    problems[field] ? { 'aria-invalid': true as const, 'aria-describedby': `${field}-error` } : {};

  return (
    <>
      <div className={styles.heading}>
        <h1>Overdue steps across all caseloads</h1>
        {result && result.total > 0 ? (
          <a
            className="nhsuk-button nhsuk-button--secondary"
            href={overdueHref(`${PATH}/export.csv`, values, 1, order)}
            download
          >
            Download CSV ({plural(result.total, 'row')})
          </a>
        ) : null}
      </div>
      <StatusesAsOf since={behindSince} now={now} zone={zone} />
      <p className="lead">
        Highest risk first: late denosumab doses, then urgent steps, then the longest overdue. Days
        are counted in your time zone ({zone}).
      </p>

      <form
        className={`toolbar card ${styles.filters}`}
        method="get"
        aria-label="Filter overdue steps"
        noValidate
      >
        <div className="field">
          <label htmlFor="step">Step</label>
          <select id="step" name="step" defaultValue={values.step} {...errorProps('step')}>
            <option value="">Every step</option>
            {steps.map((step) => (
              <option key={step.id} value={step.id}>
                {step.title}
              </option>
            ))}
          </select>
          {problems.step ? (
            <p id="step-error" className="field-error">
              {problems.step}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="nurse">Nurse</label>
          <select id="nurse" name="nurse" defaultValue={values.nurse} {...errorProps('nurse')}>
            <option value="">All caseloads</option>
            <option value={NO_NURSE}>No nurse assigned</option>
            {nurses.map((nurse) => (
              <option key={nurse.id} value={nurse.id}>
                {nurse.name}
              </option>
            ))}
          </select>
          {problems.nurse ? (
            <p id="nurse-error" className="field-error">
              {problems.nurse}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="days">At least this many days overdue</label>
          <input
            id="days"
            name="days"
            type="number"
            inputMode="numeric"
            min={0}
            max={3650}
            step={1}
            defaultValue={values.days}
            className={styles.days}
            aria-describedby={problems.days ? 'days-error' : 'days-hint'}
            {...(problems.days ? { 'aria-invalid': true } : {})}
          />
          {problems.days ? (
            <p id="days-error" className="field-error">
              {problems.days}
            </p>
          ) : (
            <p id="days-hint" className="hint">
              Empty for every overdue step.
            </p>
          )}
        </div>
        <div className={styles.actions}>
          <button type="submit" className="button primary">
            Show
          </button>
          {filtered ? (
            <Link className="button" href={PATH}>
              Clear filters
            </Link>
          ) : null}
        </div>
      </form>

      {invalid ? (
        <p className="alert" role="alert">
          The list is not shown until the filters are corrected: {Object.values(problems).join(' ')}
        </p>
      ) : null}

      {result ? (
        <>
          <p className={styles.summary} aria-live="polite">
            {result.total === 0
              ? filtered
                ? 'No overdue steps match these filters.'
                : 'No step is overdue.'
              : `${plural(result.total, 'overdue step')}. ${riskTotalsText(result.totalsByTier)}.`}
          </p>
          {result.rows.length > 0 ? (
            <DataTable
              caption={`Overdue steps, page ${result.page} of ${result.lastPage}`}
              columns={columns(
                zone,
                (sort, direction) =>
                  overdueHref(PATH, values, 1, {
                    sort: sort === 'overdue' ? 'overdue' : 'risk',
                    direction,
                  }),
                order,
              )}
              rows={result.rows}
              rowKey={(row) => `${row.episodeId}/${row.stepKey}`}
              order={
                order.sort === 'risk'
                  ? 'highest risk first, then the longest overdue'
                  : OVERDUE_WORDS[order.direction]
              }
            />
          ) : null}
          {result.lastPage > 1 ? (
            <nav className={styles.pages} aria-label="Pages">
              <span>
                Page {result.page} of {number.format(result.lastPage)} (rows{' '}
                {number.format((result.page - 1) * result.pageSize + 1)} to{' '}
                {number.format((result.page - 1) * result.pageSize + result.rows.length)})
              </span>
              {result.page > 1 ? (
                <>
                  <Link href={overdueHref(PATH, values, 1, order)}>First page</Link>
                  <Link href={overdueHref(PATH, values, result.page - 1, order)} rel="prev">
                    Previous page
                  </Link>
                </>
              ) : null}
              {result.page < result.lastPage ? (
                <Link href={overdueHref(PATH, values, result.page + 1, order)} rel="next">
                  Next page
                </Link>
              ) : null}
            </nav>
          ) : null}
          {result.truncated ? (
            <p className="notice">
              Only the first {number.format(result.lastPage * result.pageSize)} steps are shown in
              pages. Narrow the filters, or download the CSV for all {number.format(result.total)}.
            </p>
          ) : null}
        </>
      ) : null}

      <details className={styles.why}>
        <summary>Why this order</summary>
        <ol>
          {OVERDUE_RISK_TIERS.map((tier) => (
            <li key={tier.id}>
              <strong>{tier.label}.</strong> {tier.why}
              <Citations sources={tier.sources.map(cite)} />
            </li>
          ))}
        </ol>
        <p className="muted">Listed at {formatDateTime(now, zone)}.</p>
      </details>
    </>
  );
}
