import {
  type CaseloadPage as CaseloadResult,
  type CaseloadRow,
  caseload,
  caseloadHolders,
  recordedSearch,
  unappliedSince,
} from '@vfx/database/views';
import { CURRENT_PATHWAY_VERSION, findPathway, phaseLabel, SearchQuerySchema } from '@vfx/domain';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { recordRead, requirePermission, seesEveryCaseload } from '@/server/session';
import { userTimeZone } from '@/server/time-zone';
import { formatCalendarDate } from '@/ui/dates';
import { formatIdentifier, patientName } from '@/ui/identity';
import { type Column, columnSort, DataTable, type Direction } from '@/ui/nhsuk/table';
import { Pagination } from '@/ui/pagination';
import { PainScore } from '@/ui/pain';
import { StatusBadge, Tag } from '@/ui/status';
import { StatusesAsOf } from '@/ui/statuses-as-of';
import { searchCaseloadAction } from './actions';
import { caseloadHref } from './filters';
import { nextStepWhen, overdueText, PHASES, parseCaseloadSearch } from './view';

export const metadata = { title: 'Caseload · Fracture liaison' };

type Search = Record<string, string | string[] | undefined>;

/** Each sortable column, the sort it asks for, its first direction and its words. */
const SORTABLE = {
  name: { first: 'asc', words: { asc: 'A to Z', desc: 'Z to A' } },
  fracture: {
    first: 'asc',
    words: { asc: 'most recent fracture first', desc: 'oldest fracture first' },
  },
  'next-due': { first: 'asc', words: { asc: 'soonest due first', desc: 'latest due first' } },
} as const satisfies Record<string, { first: Direction; words: Record<Direction, string> }>;

export default async function CaseloadPage({ searchParams }: { searchParams: Promise<Search> }) {
  const params = await searchParams;
  const filters = parseCaseloadSearch(params);
  const { nurseParam, phase, sort, direction, overdueOnly, includeClosed, searchId } = filters;
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
  const nurses = mayOpenOthers ? await caseloadHolders(db()) : [];
  const nurseId = mayOpenOthers
    ? (nurses.find((n) => n.id === nurseParam)?.id ?? undefined)
    : user.id;
  const pageParam = Array.isArray(params.page) ? params.page[0] : params.page;
  const page = Math.min(10_000, Math.max(1, Number.parseInt(pageParam ?? '1', 10) || 1));

  const result: CaseloadResult = searchError
    ? { rows: [], total: 0, page: 1, pageSize: 25 }
    : await caseload(db(), {
        nurseId,
        search,
        phase,
        overdueOnly,
        includeClosed,
        sort,
        direction,
        page,
        pageSize: 25,
        now,
      });
  const behindSince = await unappliedSince(db(), now);
  const lastPage = Math.max(1, Math.ceil(result.total / result.pageSize));
  const kept = {
    search: found ? searchId : undefined,
    phase,
    sort: sort === 'next-due' ? undefined : sort,
    dir: direction === 'desc' ? 'desc' : undefined,
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
  // Whose caseload it is, by name when it is not one's own (an administrator opening a nurse's).
  const holder = nurseId && nurseId !== user.id ? nurses.find((n) => n.id === nurseId) : undefined;
  const heading = !nurseId ? 'All caseloads' : holder ? `${holder.name}’s caseload` : 'My caseload';
  const exportHref = caseloadHref({ ...kept }).replace(/^\/caseload/, '/caseload/export.csv');
  const href = (s: string, d: Direction) =>
    caseloadHref({
      ...kept,
      sort: s === 'next-due' ? undefined : s,
      dir: d === 'desc' ? 'desc' : undefined,
    });
  const sortOf = (column: keyof typeof SORTABLE) =>
    columnSort({
      column,
      current: { sort, direction },
      first: SORTABLE[column].first,
      words: SORTABLE[column].words,
      href,
    });
  const columns: Column<CaseloadRow>[] = [
    {
      id: 'patient',
      label: 'Patient',
      sort: sortOf('name'),
      cell: (row) => (
        <>
          <Link href={`/episodes/${row.episodeId}`} className="nhsuk-link">
            {patientName(row)}
          </Link>
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            {formatIdentifier(row.identifierKind, row.identifierValue)}
          </div>
        </>
      ),
    },
    {
      id: 'phase',
      label: 'Phase',
      sort: sortOf('fracture'),
      cell: (row) => (
        <>
          {phases ? phaseLabel(phases, row.phase) : row.phase}
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            Fracture {formatCalendarDate(row.fractureDate)} (day {row.daysSinceFracture})
          </div>
          {row.closedAt ? <Tag>Closed: {row.closureReason}</Tag> : null}
        </>
      ),
    },
    {
      id: 'next',
      label: 'Next step',
      sort: sortOf('next-due'),
      cell: (row) =>
        row.nextStep ? (
          <>
            {row.nextStep.title}
            <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
              <StatusBadge status={row.nextStep.status} urgent={row.nextStep.urgent} />{' '}
              {nextStepWhen(row.nextStep, now, zone)}
            </div>
          </>
        ) : (
          'Nothing scheduled'
        ),
    },
    {
      id: 'overdue',
      label: 'Overdue',
      cell: (row) =>
        row.overdueSteps > 0 ? <Tag tone="warn">{overdueText(row, now, zone)}</Tag> : 'None',
    },
    { id: 'pain', label: 'Latest pain', cell: (row) => <PainScore pain={row.pain} /> },
    ...(nurseId
      ? []
      : [
          {
            id: 'nurse',
            label: 'Nurse',
            cell: (row: CaseloadRow) => row.nurseName ?? 'Unassigned',
          },
        ]),
  ];

  return (
    <>
      <div className="page-heading">
        <h1>{heading}</h1>
        <div>
          {result.total > 0 ? (
            <a
              className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-right-3"
              href={exportHref}
              download
            >
              Download CSV ({result.total} {result.total === 1 ? 'row' : 'rows'})
            </a>
          ) : null}
          <Link className="nhsuk-button" href="/patients/new">
            Enrol a patient
          </Link>
        </div>
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
          {/* The order chosen in the table's headers is kept when the filters change. */}
          <input type="hidden" name="sort" value={sort === 'next-due' ? '' : sort} />
          <input type="hidden" name="dir" value={direction === 'desc' ? 'desc' : ''} />
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
        <DataTable
          caption={`${heading}: ${result.total} episodes`}
          columns={columns}
          rows={result.rows}
          rowKey={(row) => row.episodeId}
          order={SORTABLE[sort].words[direction]}
        />
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
