import { kpiReport } from '@vfx/database/views';
import {
  COMPLETENESS_RULE,
  FLS_DB_SOURCE,
  type FlsDbMeasure,
  IDENTIFICATION_MEASURE,
  type KpiDefinition,
  SOURCE_DOCUMENTS,
  type SourceRef,
} from '@vfx/domain';
import Link from 'next/link';
import { Fragment } from 'react';
import { db } from '@/server/db';
import { serviceToday } from '@/server/service-calendar';
import { requirePermission } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { Citations } from '@/ui/citations';
import { formatCalendarDate, formatDateTime } from '@/ui/dates';
import { saveCaseloadEstimateAction } from './actions';
import { formatPercent, KpiChart } from './kpi-chart';
import styles from './kpis.module.css';
import { parseKpiPeriod, type Search } from './period';

export const metadata = { title: 'KPIs · Fracture liaison' };

const PATH = '/admin/kpis';
const number = new Intl.NumberFormat('en-GB');
const decimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** "FLS-DB audit measure KPI 8: Strength and balance training". */
function FlsDb({ measure }: { measure: FlsDbMeasure }) {
  return (
    <>
      <dt>FLS-DB</dt>
      <dd>
        <strong>
          FLS-DB audit measure {measure.kpi}: {measure.name}.
        </strong>{' '}
        {measure.explanation} (
        <a href={FLS_DB_SOURCE.url} rel="noreferrer">
          {FLS_DB_SOURCE.title}
        </a>
        )
      </dd>
    </>
  );
}

/** The versions' wordings of one measure, those that read the same shown once. */
function distinctWordings(definitions: readonly KpiDefinition[]) {
  const groups = new Map<string, { definition: KpiDefinition; versions: string[] }>();
  for (const definition of definitions) {
    const { pathwayVersion, ...wording } = definition;
    const key = JSON.stringify(wording);
    const group = groups.get(key);
    if (group) group.versions.push(pathwayVersion);
    else groups.set(key, { definition, versions: [pathwayVersion] });
  }
  return [...groups.values()];
}

const cite = (ref: SourceRef) => ({
  ...ref,
  title: SOURCE_DOCUMENTS[ref.document].title,
  file: SOURCE_DOCUMENTS[ref.document].file,
});

export default async function KpiPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePermission('kpis.view');
  const params = await searchParams;
  const zone = await userTimeZone();
  const now = new Date();
  const { values, period, problems } = parseKpiPeriod(params, serviceToday(now));
  const report = period ? await kpiReport(db(), period, { asOf: now }) : undefined;
  const exportHref = `${PATH}/export.csv?${new URLSearchParams(values)}`;
  const one = (name: string) => {
    const value = params[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const estimateSaved = one('estimate') === 'saved';
  const estimateError = one('estimateError');
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
            Measured at {formatDateTime(report.asOf, zone)}. Each episode is measured under its own
            pathway version ({report.pathwayVersions.join(', ') || 'none yet'}).
          </p>
          {report.notMeasured > 0 ? (
            <p className="alert" role="alert">
              {number.format(report.notMeasured)} of these episodes have no stored results yet (or
              results of an older version of the measures) and are not in the figures below. They
              are stored by the rebuild that runs with the database migrations (
              <code>npm run db:migrate</code>).
            </p>
          ) : null}
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
                  <th scope="col">FLS-DB</th>
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
                  <tr key={summary.id}>
                    <th scope="row">{summary.definition.title}</th>
                    <td>{summary.definition.flsDb.kpi}</td>
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
            {report.summaries.map((summary) => (
              <details key={summary.id}>
                <summary>
                  {summary.definition.title} ({summary.definition.flsDb.kpi})
                </summary>
                {distinctWordings(summary.definitions).map(({ definition, versions }) => (
                  <div key={versions.join()}>
                    <dl>
                      <dt>Pathway version</dt>
                      <dd>{versions.join(', ')}</dd>
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
                      <FlsDb measure={definition.flsDb} />
                    </dl>
                    <Citations sources={definition.sources.map(cite)} />
                  </div>
                ))}
              </details>
            ))}
          </section>

          <section
            id="completeness"
            className={`card ${styles.chartCard}`}
            aria-labelledby="completeness-heading"
          >
            <h2 id="completeness-heading">
              Data completeness ({COMPLETENESS_RULE.flsDb.kpi}):{' '}
              {report.completeness.good ? 'good' : 'not good'}
            </h2>
            <p>
              {report.completeness.fieldsOverLimit} of {report.completeness.fields.length} fields
              have more than {COMPLETENESS_RULE.missingAbovePercent}% of their data missing for the
              episodes in this period. FLS-DB calls data completeness good when fewer than{' '}
              {COMPLETENESS_RULE.fewerThanFields} fields do.
            </p>
            <div className="table-wrap">
              <table className={`data ${styles.kpiTable}`}>
                <caption className="visually-hidden">Missing data by field</caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col" className={styles.numeric}>
                      Recorded
                    </th>
                    <th scope="col" className={styles.numeric}>
                      Missing
                    </th>
                    <th scope="col" className={styles.numeric}>
                      Missing (%)
                    </th>
                    <th scope="col" className={styles.numeric}>
                      Not yet due
                    </th>
                    <th scope="col" className={styles.numeric}>
                      Not expected
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {report.completeness.fields.map((f) => (
                    <tr key={f.definition.id}>
                      <th scope="row">{f.definition.title}</th>
                      <td className={styles.numeric}>{number.format(f.recorded)}</td>
                      <td className={styles.numeric}>{number.format(f.missing)}</td>
                      <td className={styles.numeric}>
                        {f.percentMissing === undefined
                          ? 'none counted'
                          : `${f.percentMissing.toFixed(1)}%`}
                      </td>
                      <td className={styles.numeric}>{number.format(f.notYetDue)}</td>
                      <td className={styles.numeric}>{number.format(f.notExpected)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <details className={styles.definitions}>
              <summary>What each field counts</summary>
              <dl>
                {report.completeness.fields.map(({ definition }) => (
                  <Fragment key={definition.id}>
                    <dt>{definition.title}</dt>
                    <dd>{definition.recorded}</dd>
                  </Fragment>
                ))}
                <FlsDb measure={COMPLETENESS_RULE.flsDb} />
              </dl>
            </details>
          </section>

          <section
            id="identification"
            className={`card ${styles.chartCard}`}
            aria-labelledby="identification-heading"
          >
            <h2 id="identification-heading">
              {IDENTIFICATION_MEASURE.title} ({IDENTIFICATION_MEASURE.flsDb.kpi})
            </h2>
            {report.identification.percent === undefined ? (
              <p>Not measured: the service has not entered its estimated yearly caseload.</p>
            ) : (
              <p>
                <strong>{formatPercent(report.identification.percent)}</strong>:{' '}
                {number.format(report.episodes)} episodes against{' '}
                {decimal.format(report.identification.expected ?? 0)} expected in these{' '}
                {number.format(report.identification.days)} days (
                {number.format(report.identification.estimatedYearlyCaseload ?? 0)} a year, the
                service&apos;s own estimate, pro rata).
              </p>
            )}
            <dl className={styles.definitions}>
              <FlsDb measure={IDENTIFICATION_MEASURE.flsDb} />
            </dl>
            <form action={saveCaseloadEstimateAction} className="toolbar" noValidate>
              <input type="hidden" name="from" value={values.from} />
              <input type="hidden" name="to" value={values.to} />
              <div className="field">
                <label htmlFor="estimate">
                  Estimated yearly caseload (the service&apos;s own estimate, patients a year)
                </label>
                <input
                  id="estimate"
                  name="estimate"
                  inputMode="numeric"
                  defaultValue={report.identification.estimatedYearlyCaseload ?? ''}
                  {...(estimateError
                    ? { 'aria-invalid': true as const, 'aria-describedby': 'estimate-error' }
                    : {})}
                />
                {estimateError ? (
                  <p id="estimate-error" className="field-error">
                    {estimateError}
                  </p>
                ) : null}
                {estimateSaved ? <p role="status">Estimate saved.</p> : null}
              </div>
              <div className={styles.actions}>
                <button type="submit" className="button">
                  Save estimate
                </button>
              </div>
            </form>
          </section>
        </>
      )}
    </>
  );
}
