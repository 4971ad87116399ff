import { kpiReport } from '@vfx/database';
import { SOURCE_DOCUMENTS, type SourceRef } from '@vfx/domain';
import Link from 'next/link';
import { db } from '@/server/db';
import { serviceToday } from '@/server/service-calendar';
import { requireUser } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { Citations } from '@/ui/citations';
import { formatCalendarDate, formatDateTime } from '@/ui/dates';
import { formatPercent, KpiChart } from './kpi-chart';
import styles from './kpis.module.css';
import { parseKpiPeriod, type Search } from './period';

export const metadata = { title: 'KPIs · Fracture liaison' };

const PATH = '/admin/kpis';
const number = new Intl.NumberFormat('en-GB');

const cite = (ref: SourceRef) => ({
  ...ref,
  title: SOURCE_DOCUMENTS[ref.document].title,
  file: SOURCE_DOCUMENTS[ref.document].file,
});

export default async function KpiPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requireUser(['admin']);
  const params = await searchParams;
  const zone = await userTimeZone();
  const now = new Date();
  const { values, period, problems } = parseKpiPeriod(params, serviceToday(now));
  const report = period ? await kpiReport(db(), period, { asOf: now }) : undefined;
  const exportHref = `${PATH}/export.csv?${new URLSearchParams(values)}`;
  const errorProps = (field: 'from' | 'to') =>
    problems[field] ? { 'aria-invalid': true as const, 'aria-describedby': `${field}-error` } : {};

  return (
    <>
      <div className={styles.heading}>
        <h1>FLS key performance indicators</h1>
        {report ? (
          <a className="button" href={exportHref} download>
            Download CSV
          </a>
        ) : null}
      </div>
      <p className="lead">
        Episodes are chosen by their fracture date, because every measure is timed from it. An
        episode whose step is not yet due is pending and not counted until it is.
      </p>

      <form
        className={`toolbar card ${styles.period}`}
        method="get"
        aria-label="Choose the period"
        noValidate
      >
        <div className="field">
          <label htmlFor="from">Fracture dates from</label>
          <input
            id="from"
            name="from"
            type="date"
            defaultValue={values.from}
            required
            {...errorProps('from')}
          />
          {problems.from ? (
            <p id="from-error" className="field-error">
              {problems.from}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="to">to (included)</label>
          <input
            id="to"
            name="to"
            type="date"
            defaultValue={values.to}
            required
            {...errorProps('to')}
          />
          {problems.to ? (
            <p id="to-error" className="field-error">
              {problems.to}
            </p>
          ) : null}
        </div>
        <div className={styles.actions}>
          <button type="submit" className="button primary">
            Show
          </button>
          <Link className="button" href={PATH}>
            Last 12 months
          </Link>
        </div>
      </form>

      {!report ? (
        <p className="alert" role="alert">
          No figures until the period is corrected: {Object.values(problems).join(' ')}
        </p>
      ) : (
        <>
          <p>
            <strong>{number.format(report.episodes)}</strong>{' '}
            {report.episodes === 1 ? 'episode has' : 'episodes have'} a fracture date from{' '}
            {formatCalendarDate(report.period.from)} to {formatCalendarDate(report.period.to)}.
            Measured at {formatDateTime(report.asOf, zone)}.
          </p>
          <section className={`card ${styles.chartCard}`} aria-labelledby="chart-heading">
            <h2 id="chart-heading">Met, as a percentage of eligible episodes</h2>
            <KpiChart summaries={report.summaries} />
          </section>
          <div className="table-wrap">
            <table className={`data ${styles.kpiTable}`}>
              <caption className="visually-hidden">
                Key performance indicators for fracture dates {report.period.from} to{' '}
                {report.period.to}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  <th scope="col" className={styles.numeric}>
                    Met
                  </th>
                  <th scope="col" className={styles.numeric}>
                    Eligible
                  </th>
                  <th scope="col" className={styles.numeric}>
                    Met (%)
                  </th>
                  <th scope="col" className={styles.numeric}>
                    Pending
                  </th>
                  <th scope="col" className={styles.numeric}>
                    Not counted
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.summaries.map((summary) => (
                  <tr key={summary.definition.id}>
                    <th scope="row">{summary.definition.title}</th>
                    <td className={styles.numeric}>{number.format(summary.met)}</td>
                    <td className={styles.numeric}>{number.format(summary.eligible)}</td>
                    <td className={styles.numeric}>{formatPercent(summary.percentMet)}</td>
                    <td className={styles.numeric}>{number.format(summary.pending)}</td>
                    <td className={styles.numeric}>{number.format(summary.excluded)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <section className={styles.definitions} aria-labelledby="definitions-heading">
            <h2 id="definitions-heading">What each measure counts</h2>
            <p className="hint">
              Eligible = met + not met. Where the guidance does not define who is counted, the
              choice made here is written below, with the pathway step and sources it follows.
            </p>
            {report.summaries.map(({ definition }) => (
              <details key={definition.id}>
                <summary>{definition.title}</summary>
                <dl>
                  <dt>Met</dt>
                  <dd>{definition.met}</dd>
                  <dt>Counted</dt>
                  <dd>{definition.counted}</dd>
                  <dt>Not counted</dt>
                  <dd>{definition.notCounted}</dd>
                  <dt>Pathway step</dt>
                  <dd>
                    <code>{definition.stepId}</code>
                  </dd>
                </dl>
                <Citations sources={definition.sources.map(cite)} />
              </details>
            ))}
          </section>
        </>
      )}
    </>
  );
}
