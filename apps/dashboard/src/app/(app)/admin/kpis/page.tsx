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
import type { ReactNode } from 'react';
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
    <Row term="FLS-DB">
      <strong>
        FLS-DB audit measure {measure.kpi}: {measure.name}.
      </strong>{' '}
      {measure.explanation} (
      <a href={FLS_DB_SOURCE.url} rel="noreferrer">
        {FLS_DB_SOURCE.title}
      </a>
      )
    </Row>
  );
}

/** One row of the design system's summary list. */
function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{term}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
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
  const dateField = (field: 'from' | 'to', label: string) => (
    <div className={`nhsuk-form-group ${problems[field] ? 'nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label" htmlFor={field}>
        {label}
      </label>
      {problems[field] ? (
        <span id={`${field}-error`} className="nhsuk-error-message">
          <span className="nhsuk-u-visually-hidden">Error:</span> {problems[field]}
        </span>
      ) : null}
      <input
        id={field}
        name={field}
        type="date"
        className={`nhsuk-input nhsuk-input--width-10 ${problems[field] ? 'nhsuk-input--error' : ''}`}
        defaultValue={values[field]}
        required
        {...errorProps(field)}
      />
    </div>
  );
  const numericHeader = 'nhsuk-table__header nhsuk-table__header--numeric';
  const numericCell = 'nhsuk-table__cell nhsuk-table__cell--numeric';

  return (
    <>
      <div className={styles.heading}>
        <h1 className="nhsuk-heading-l">FLS key performance indicators</h1>
        {report ? (
          <a className="nhsuk-button nhsuk-button--secondary" href={exportHref} download>
            Download CSV
          </a>
        ) : null}
      </div>
      <p className="nhsuk-body-l">
        Episodes are chosen by their fracture date, because every measure is timed from it. An
        episode whose step is not yet due is pending and not counted until it is.
      </p>

      <form className={styles.period} method="get" aria-label="Choose the period" noValidate>
        {dateField('from', 'Fracture dates from')}
        {dateField('to', 'to (included)')}
        <div className={styles.actions}>
          <button type="submit" className="nhsuk-button">
            Show
          </button>
          <Link className="nhsuk-button nhsuk-button--secondary" href={PATH}>
            Last 12 months
          </Link>
        </div>
      </form>

      {!report ? (
        <div
          className="nhsuk-error-summary"
          role="alert"
          tabIndex={-1}
          aria-labelledby="period-error"
        >
          <h2 id="period-error" className="nhsuk-error-summary__title">
            No figures until the period is corrected
          </h2>
          <div className="nhsuk-error-summary__body">
            <ul className="nhsuk-list nhsuk-error-summary__list">
              {(['from', 'to'] as const).map((field) =>
                problems[field] ? (
                  <li key={field}>
                    <a href={`#${field}`}>{problems[field]}</a>
                  </li>
                ) : null,
              )}
            </ul>
          </div>
        </div>
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
            <div className="nhsuk-warning-callout" role="alert">
              <h2 className="nhsuk-warning-callout__label">
                <span className="nhsuk-u-visually-hidden">Important: </span>Not all measured
              </h2>
              <p>
                {number.format(report.notMeasured)} of these episodes have no stored results yet (or
                results of an older version of the measures) and are not in the figures below. They
                are stored by the rebuild that runs with the database migrations (
                <code>npm run db:migrate</code>).
              </p>
            </div>
          ) : null}
          <section className="nhsuk-card" aria-labelledby="chart-heading">
            <div className="nhsuk-card__content">
              <h2 id="chart-heading" className="nhsuk-card__heading nhsuk-heading-m">
                Met, as a percentage of eligible episodes
              </h2>
              <KpiChart summaries={report.summaries} />
            </div>
          </section>
          <div className="nhsuk-table-container">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--m">
                The measures, fracture dates {formatCalendarDate(report.period.from)} to{' '}
                {formatCalendarDate(report.period.to)}
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">
                    Measure
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    FLS-DB
                  </th>
                  <th scope="col" className={numericHeader}>
                    Met
                  </th>
                  <th scope="col" className={numericHeader}>
                    Eligible
                  </th>
                  <th scope="col" className={numericHeader}>
                    Met (%)
                  </th>
                  <th scope="col" className={numericHeader}>
                    Pending
                  </th>
                  <th scope="col" className={numericHeader}>
                    Not counted
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {report.summaries.map((summary) => (
                  <tr key={summary.id} className="nhsuk-table__row">
                    <th scope="row" className="nhsuk-table__header">
                      {summary.definition.title}
                    </th>
                    <td className="nhsuk-table__cell">{summary.definition.flsDb.kpi}</td>
                    <td className={numericCell}>{number.format(summary.met)}</td>
                    <td className={numericCell}>{number.format(summary.eligible)}</td>
                    <td className={numericCell}>{formatPercent(summary.percentMet)}</td>
                    <td className={numericCell}>{number.format(summary.pending)}</td>
                    <td className={numericCell}>{number.format(summary.excluded)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <section className={styles.definitions} aria-labelledby="definitions-heading">
            <h2 id="definitions-heading" className="nhsuk-heading-m">
              What each measure counts
            </h2>
            <p className="nhsuk-hint">
              Eligible = met + not met. Where the guidance does not define who is counted, the
              choice made here is written below, with the pathway step and sources it follows.
            </p>
            {report.summaries.map((summary) => (
              <details key={summary.id} className="nhsuk-details">
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">
                    {summary.definition.title} ({summary.definition.flsDb.kpi})
                  </span>
                </summary>
                <div className="nhsuk-details__text">
                  {distinctWordings(summary.definitions).map(({ definition, versions }) => (
                    <div key={versions.join()}>
                      <dl className="nhsuk-summary-list">
                        <Row term="Pathway version">{versions.join(', ')}</Row>
                        <Row term="Met">{definition.met}</Row>
                        <Row term="Counted">{definition.counted}</Row>
                        <Row term="Not counted">{definition.notCounted}</Row>
                        <Row term="Pathway step">
                          <code>{definition.stepId}</code>
                        </Row>
                        <FlsDb measure={definition.flsDb} />
                      </dl>
                      <Citations sources={definition.sources.map(cite)} />
                    </div>
                  ))}
                </div>
              </details>
            ))}
          </section>

          <section id="completeness" className="nhsuk-card" aria-labelledby="completeness-heading">
            <div className="nhsuk-card__content">
              <h2 id="completeness-heading" className="nhsuk-card__heading nhsuk-heading-m">
                Data completeness ({COMPLETENESS_RULE.flsDb.kpi}):{' '}
                {report.completeness.good ? 'good' : 'not good'}
              </h2>
              <p>
                {report.completeness.fieldsOverLimit} of {report.completeness.fields.length} fields
                have more than {COMPLETENESS_RULE.missingAbovePercent}% of their data missing for
                the episodes in this period. FLS-DB calls data completeness good when fewer than{' '}
                {COMPLETENESS_RULE.fewerThanFields} fields do.
              </p>
              <div className="nhsuk-table-container">
                <table className="nhsuk-table">
                  <caption className="nhsuk-u-visually-hidden">Missing data by field</caption>
                  <thead className="nhsuk-table__head">
                    <tr className="nhsuk-table__row">
                      <th scope="col" className="nhsuk-table__header">
                        Field
                      </th>
                      <th scope="col" className={numericHeader}>
                        Recorded
                      </th>
                      <th scope="col" className={numericHeader}>
                        Missing
                      </th>
                      <th scope="col" className={numericHeader}>
                        Missing (%)
                      </th>
                      <th scope="col" className={numericHeader}>
                        Not yet due
                      </th>
                      <th scope="col" className={numericHeader}>
                        Not expected
                      </th>
                    </tr>
                  </thead>
                  <tbody className="nhsuk-table__body">
                    {report.completeness.fields.map((f) => (
                      <tr key={f.definition.id} className="nhsuk-table__row">
                        <th scope="row" className="nhsuk-table__header">
                          {f.definition.title}
                        </th>
                        <td className={numericCell}>{number.format(f.recorded)}</td>
                        <td className={numericCell}>{number.format(f.missing)}</td>
                        <td className={numericCell}>
                          {f.percentMissing === undefined
                            ? 'none counted'
                            : `${f.percentMissing.toFixed(1)}%`}
                        </td>
                        <td className={numericCell}>{number.format(f.notYetDue)}</td>
                        <td className={numericCell}>{number.format(f.notExpected)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <details className="nhsuk-details">
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">What each field counts</span>
                </summary>
                <div className="nhsuk-details__text">
                  <dl className="nhsuk-summary-list">
                    {report.completeness.fields.map(({ definition }) => (
                      <Row key={definition.id} term={definition.title}>
                        {definition.recorded}
                      </Row>
                    ))}
                    <FlsDb measure={COMPLETENESS_RULE.flsDb} />
                  </dl>
                </div>
              </details>
            </div>
          </section>

          <section
            id="identification"
            className="nhsuk-card"
            aria-labelledby="identification-heading"
          >
            <div className="nhsuk-card__content">
              <h2 id="identification-heading" className="nhsuk-card__heading nhsuk-heading-m">
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
              <dl className="nhsuk-summary-list">
                <FlsDb measure={IDENTIFICATION_MEASURE.flsDb} />
              </dl>
              <form action={saveCaseloadEstimateAction} noValidate>
                <input type="hidden" name="from" value={values.from} />
                <input type="hidden" name="to" value={values.to} />
                <div
                  className={`nhsuk-form-group ${estimateError ? 'nhsuk-form-group--error' : ''}`}
                >
                  <label className="nhsuk-label" htmlFor="estimate">
                    Estimated yearly caseload (the service&apos;s own estimate, patients a year)
                  </label>
                  {estimateError ? (
                    <span id="estimate-error" className="nhsuk-error-message">
                      <span className="nhsuk-u-visually-hidden">Error:</span> {estimateError}
                    </span>
                  ) : null}
                  <input
                    id="estimate"
                    name="estimate"
                    inputMode="numeric"
                    className={`nhsuk-input nhsuk-input--width-5 ${estimateError ? 'nhsuk-input--error' : ''}`}
                    defaultValue={report.identification.estimatedYearlyCaseload ?? ''}
                    {...(estimateError
                      ? { 'aria-invalid': true as const, 'aria-describedby': 'estimate-error' }
                      : {})}
                  />
                  {estimateSaved ? (
                    <p role="status" className="nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0">
                      Estimate saved.
                    </p>
                  ) : null}
                </div>
                <button type="submit" className="nhsuk-button nhsuk-button--secondary">
                  Save estimate
                </button>
              </form>
            </div>
          </section>
        </>
      )}
    </>
  );
}
