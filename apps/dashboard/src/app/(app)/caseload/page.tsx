import {
  CASELOAD_SORTS,
  type CaseloadPage as CaseloadResult,
  type CaseloadSort,
  caseload,
  caseloadHolders,
  recordedSearch,
  unappliedSince,
} from '@vfx/database/views';
import {
  CURRENT_PATHWAY_VERSION,
  findPathway,
  type Phase,
  phaseLabel,
  SearchQuerySchema,
} from '@vfx/domain';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { calendar } from '@/server/service-calendar';
import { recordRead, requirePermission, seesEveryCaseload } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import {
  daysOverdue,
  formatCalendarDate,
  formatDate,
  overdueBy,
  stepWhenText,
  windowFromInstants,
} from '@/ui/dates';
import { formatIdentifier, patientName } from '@/ui/identity';
import { Pagination } from '@/ui/pagination';
import { PainScore } from '@/ui/pain';
import { StatusBadge, Tag } from '@/ui/status';
import { StatusesAsOf } from '@/ui/statuses-as-of';
import { searchCaseloadAction } from './actions';
import { caseloadHref } from './filters';

export const metadata = { title: 'Caseload · Fracture liaison' };

const PHASES: readonly Phase[] = ['acute', 'subacute', 'chronic'];
const SORT_NAMES: Record<CaseloadSort, string> = {
  'next-due': 'Overdue first, then next due',
  name: 'Family name',
  fracture: 'Most recent fracture',
};

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function CaseloadPage({ searchParams }: { searchParams: Promise<Search> }) {
  const params = await searchParams;
  const nurseParam = one(params.nurse) || undefined;
  // Whose caseload: the one asked for, else all of them for whoever may open another's (an
  // administrator, as the permission table says), else one's own.
  const user = await requirePermission(
    'caseload.view',
    nurseParam ? { caseloadOf: nurseParam } : {},
  );
  const mayOpenOthers = seesEveryCaseload(user);
  const zone = await userTimeZone();
  const now = new Date();
  // A search arrives as its opaque id (see ./actions.ts); its query never is in the address.
  const searchId = one(params.search);
  const found = searchId
    ? await recordedSearch(db(), { actor: user.id, id: searchId, now })
    : undefined;
  const searchEnded = Boolean(searchId) && !found;
  const typed = SearchQuerySchema.safeParse(found?.query ?? '');
  const search = typed.success ? typed.data : '';
  // Refused before the database sees it: a control character can match nobody.
  const searchError = typed.success
    ? undefined
    : `The search ${typed.error.issues[0]?.message ?? 'is not valid'}.`;
  const phase = PHASES.find((p) => p === one(params.phase));
  const sort = CASELOAD_SORTS.find((s) => s === one(params.sort)) ?? 'next-due';
  const overdueOnly = one(params.overdue) === '1';
  const includeClosed = one(params.closed) === '1';
  const nurses = mayOpenOthers ? await caseloadHolders(db()) : [];
  const nurseId = mayOpenOthers
    ? (nurses.find((n) => n.id === nurseParam)?.id ?? undefined)
    : user.id;
  const page = Math.min(10_000, Math.max(1, Number.parseInt(one(params.page) ?? '1', 10) || 1));

  const result: CaseloadResult = searchError
    ? { rows: [], total: 0, page: 1, pageSize: 25 }
    : await caseload(db(), {
        nurseId,
        search,
        phase,
        overdueOnly,
        includeClosed,
        sort,
        page,
        pageSize: 25,
        now,
      });
  const behindSince = await unappliedSince(db(), now);
  const lastPage = Math.max(1, Math.ceil(result.total / result.pageSize));
  const kept = {
    search: found ? searchId : undefined,
    phase,
    sort,
    overdue: overdueOnly ? '1' : undefined,
    closed: includeClosed ? '1' : undefined,
    nurse: mayOpenOthers ? nurseId : undefined,
  };
  if (page > lastPage) {
    // Past the end (an old bookmark, a shrunk caseload): the last page instead.
    redirect(caseloadHref({ ...kept, page: String(lastPage) }));
  }
  await recordRead(user, {
    action: 'caseload.viewed',
    entityType: 'caseload',
    entityId: nurseId ?? 'all',
    details: {
      ...kept,
      page,
      shown: result.rows.length,
      total: result.total,
    },
  });
  const phases = findPathway(CURRENT_PATHWAY_VERSION)?.phases;
  const heading = nurseId ? 'My caseload' : 'All caseloads';

  return (
    <>
      <div className="page-heading">
        <h1>{heading}</h1>
        <Link className="button primary" href="/patients/new">
          Enrol a patient
        </Link>
      </div>
      <StatusesAsOf since={behindSince} now={now} zone={zone} />
      <search>
        {/* POSTed to a server action: the name or NHS number never goes into the address. */}
        <form className="toolbar card" action={searchCaseloadAction} aria-label="Find patients">
          <div className="field">
            <label htmlFor="q">Name or NHS number</label>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={search}
              autoComplete="off"
              aria-invalid={searchError ? true : undefined}
              aria-describedby={searchError ? 'q-error' : undefined}
            />
            {searchError ? (
              <p id="q-error" className="field-error">
                {searchError}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="phase">Phase</label>
            <select id="phase" name="phase" defaultValue={phase ?? ''}>
              <option value="">Any phase</option>
              {PHASES.map((p) => (
                <option key={p} value={p}>
                  {phases ? phaseLabel(phases, p) : p}
                </option>
              ))}
            </select>
          </div>
          {mayOpenOthers ? (
            <div className="field">
              <label htmlFor="nurse">Nurse</label>
              <select id="nurse" name="nurse" defaultValue={nurseId ?? ''}>
                <option value="">All caseloads</option>
                {nurses.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="sort">Order</label>
            <select id="sort" name="sort" defaultValue={sort}>
              {CASELOAD_SORTS.map((s) => (
                <option key={s} value={s}>
                  {SORT_NAMES[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="checks">
            <label>
              <input type="checkbox" name="overdue" value="1" defaultChecked={overdueOnly} />{' '}
              Overdue only
            </label>
            <label>
              <input type="checkbox" name="closed" value="1" defaultChecked={includeClosed} />{' '}
              Include closed episodes
            </label>
          </div>
          <button type="submit" className="button primary">
            Show
          </button>
        </form>
      </search>

      {searchEnded ? (
        <p className="notice" role="status">
          That search has ended (a search is kept for 12 hours, for the person who made it only).
          Search again.
        </p>
      ) : null}
      {result.rows.length === 0 ? (
        <p className="notice">
          {searchError
            ? 'Nothing was searched: correct the search above.'
            : search
              ? `No patient matches “${search}”.`
              : 'No patients match these filters.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">
              {heading}: {result.total} episodes
            </caption>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Phase</th>
                <th scope="col">Next step</th>
                <th scope="col">Overdue</th>
                <th scope="col">Latest pain</th>
                {nurseId ? null : <th scope="col">Nurse</th>}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row) => {
                const next = row.nextStep;
                // The date language (src/ui/dates.ts): labelled guideline dates.
                const nextWindow =
                  next?.overdueAt != null
                    ? windowFromInstants(
                        { dueAt: next.dueAt, overdueAt: next.overdueAt },
                        calendar.timeZone,
                      )
                    : undefined;
                return (
                  <tr key={row.episodeId}>
                    <td>
                      <Link href={`/episodes/${row.episodeId}`} className="strong">
                        {patientName(row)}
                      </Link>
                      <div className="muted small">
                        {formatIdentifier(row.identifierKind, row.identifierValue)}
                      </div>
                    </td>
                    <td>
                      {phases ? phaseLabel(phases, row.phase) : row.phase}
                      <div className="muted small">
                        Fracture {formatCalendarDate(row.fractureDate)} (day {row.daysSinceFracture}
                        )
                      </div>
                      {row.closedAt ? <Tag>Closed: {row.closureReason}</Tag> : null}
                    </td>
                    <td>
                      {next ? (
                        <>
                          {next.title}{' '}
                          <div className="small">
                            <StatusBadge status={next.status} urgent={next.urgent} />{' '}
                            {nextWindow
                              ? stepWhenText(next.status, nextWindow, now, zone)
                              : `Due ${formatDate(next.dueAt, zone)}`}
                          </div>
                        </>
                      ) : (
                        <span className="muted">Nothing scheduled</span>
                      )}
                    </td>
                    <td>
                      {row.overdueSteps > 0 ? (
                        <Tag tone="warn">
                          {row.overdueSteps} overdue
                          {next?.status === 'overdue' && nextWindow
                            ? ` · ${overdueBy(daysOverdue(nextWindow, now, zone))}`
                            : ''}
                        </Tag>
                      ) : (
                        <span className="muted">None</span>
                      )}
                    </td>
                    <td>
                      <PainScore pain={row.pain} />
                    </td>
                    {nurseId ? null : <td>{row.nurseName ?? 'Unassigned'}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        path="/caseload"
        params={kept}
        page={result.page}
        pageSize={result.pageSize}
        total={result.total}
      />
    </>
  );
}
