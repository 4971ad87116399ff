// A transaction Bundle that enrols a patient with a fracture episode, read into the write path's
// enrolment input: exactly one Patient and one Condition (the vertebral fracture), and at most one
// Encounter (the admission), and at most one EpisodeOfCare naming the nurse whose caseload the
// patient joins (careManager.identifier, USER_SYSTEM | user id). Every problem is reported at once, each on its element: first what
// cannot be read as this FHIR (the form), then the domain's own checks of the values (parsePatient,
// parseEpisode and the names schema: the same functions the write path validates with), their
// paths mapped back to the FHIR elements the values came from. Pure: no I/O, `now` is given.
import {
  CURRENT_PATHWAY_VERSION,
  DemographicsSchema,
  type InputIssue,
  PathwayInputError,
  type Patient,
  parseEpisode,
  parsePatient,
} from '@vfx/domain';
import { GENDER_OF_SEX } from '../resources/patient.js';
import { checkIfNoneExist } from './conditional.js';
import { type BusinessIdentifier, idFromIdentifier } from './ids.js';
import {
  bool,
  child,
  codeIn,
  codings,
  extension,
  extensionPath,
  IssueList,
  isObject,
  items,
  jsonBytes,
  type Node,
  object,
  refuseModifierExtensions,
  text,
} from './json.js';
import { type ParseResult, PathMap, withoutRepeats } from './outcome.js';
import {
  ACT_CODE_SYSTEM,
  CONDITION_EXTENSIONS,
  IDENTIFIER_TYPE_SYSTEM,
  INPATIENT_CLASS_CODES,
  MRN_SYSTEM,
  MRN_TYPE_CODE,
  NHS_NUMBER_SYSTEM,
  USER_SYSTEM,
  VERTEBRAL_LEVEL_SYSTEM,
} from './systems.js';

/** One enrolment per Bundle: a Patient, a Condition, an Encounter and an EpisodeOfCare at most. */
export const MAX_TRANSACTION_ENTRIES = 4;
/** The Bundle's size as compact JSON (UTF-8): far above any real enrolment (about 3 KB). */
export const MAX_TRANSACTION_BYTES = 64 * 1024;

export const TRANSACTION_RESOURCE_TYPES = [
  'Patient',
  'Condition',
  'Encounter',
  'EpisodeOfCare',
] as const;
type EntryType = (typeof TRANSACTION_RESOURCE_TYPES)[number];

/** A request entry of the Bundle, for its response entry. */
export interface TransactionEntry {
  readonly index: number;
  readonly resourceType: EntryType;
  readonly fullUrl: string | undefined;
  /** The entry asked for a conditional create (request.ifNoneExist, checked). */
  readonly conditional: boolean;
}

/** The write path's enrolment input (EnrolmentInput of @vfx/database/commands). */
export interface EnrolmentFromFhir {
  readonly patient: Readonly<Record<string, unknown>>;
  /**
   * The nurse whose caseload a new patient joins: EpisodeOfCare.careManager.identifier.value
   * (system USER_SYSTEM), or null without an EpisodeOfCare (nobody's caseload). The write path
   * checks that the user can hold a caseload ('invalid-input' at `nurseId`, mapped by `paths`).
   */
  readonly nurseId: string | null;
  readonly demographics: Readonly<Record<string, unknown>>;
  /** The episode without `enrolledAt` (the write path stamps it) and without `patientId`. */
  readonly episode: Readonly<Record<string, unknown>>;
}

export interface EnrolmentTransaction {
  /** patient.id and episode.id are derived from the business identifiers (ids.ts). */
  readonly enrolment: EnrolmentFromFhir;
  /** The patient as the domain validated it: its identifier is what a known patient is found by. */
  readonly patient: Patient;
  readonly entries: {
    readonly patient: TransactionEntry;
    readonly condition: TransactionEntry;
    readonly encounter: TransactionEntry | undefined;
    readonly episodeOfCare: TransactionEntry | undefined;
  };
  /** The Condition's identifier the episode is keyed on. */
  readonly conditionIdentifier: BusinessIdentifier;
  /** Maps the write path's issue paths (a refusal at enrolment) to the Bundle's elements. */
  readonly paths: PathMap;
}

/** FHIR gender → the domain's sex: the read side's mapping (GENDER_OF_SEX) read backwards. */
const GENDERS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(GENDER_OF_SEX).map(([sex, gender]) => [gender, sex]),
);

const CONDITION_VERIFICATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const REFUSED_VERIFICATION = ['refuted', 'entered-in-error'];
const REFUSED_ENCOUNTER_STATUS = ['cancelled', 'entered-in-error'];

/** A date from a FHIR date or dateTime: the calendar date as the sender wrote it. */
const calendarDateOf = (value: string | undefined) =>
  value !== undefined && /^\d{4}-\d{2}-\d{2}T/.test(value) ? value.slice(0, 10) : value;

export function parseEnrolmentTransaction(
  body: unknown,
  options: { readonly now: Date },
): ParseResult<EnrolmentTransaction> {
  const issues = new IssueList();
  const fail = (status: 400 | 413) => ({ ok: false as const, status, issues: issues.issues });
  if (!isObject(body)) {
    issues.invalid('Bundle', 'a FHIR resource: a JSON object');
    return fail(400);
  }
  if (body.resourceType !== 'Bundle') {
    issues.add(
      'invalid',
      'resourceType',
      `resourceType must be "Bundle" (a transaction), not ${JSON.stringify(body.resourceType)}`,
    );
    return fail(400);
  }
  const bytes = jsonBytes(body);
  if (bytes > MAX_TRANSACTION_BYTES) {
    issues.add(
      'too-costly',
      'Bundle',
      `The Bundle is ${bytes} bytes; at most ${MAX_TRANSACTION_BYTES} bytes (one enrolment) are accepted`,
    );
    return fail(413);
  }
  if (body.type !== 'transaction') {
    issues.add(
      'not-supported',
      'Bundle.type',
      `Bundle.type must be "transaction" (got ${JSON.stringify(body.type)}): only transactions are processed here`,
    );
    return fail(400);
  }
  const bundle: Node = { value: body, path: 'Bundle' };
  const entryNodes = items(child(bundle, 'entry'), issues);
  if (entryNodes.length > MAX_TRANSACTION_ENTRIES) {
    issues.add(
      'too-costly',
      'Bundle.entry',
      `The Bundle has ${entryNodes.length} entries; at most ${MAX_TRANSACTION_ENTRIES} are accepted (one Patient, one Condition, one Encounter, one EpisodeOfCare): send one enrolment per Bundle`,
    );
    return fail(413);
  }

  // Each entry: a POST of a supported resource type, once each.
  const entries = new Map<
    EntryType,
    { entry: TransactionEntry; resource: Node; ifNoneExist?: Node }
  >();
  for (const [index, node] of entryNodes.entries()) {
    if (!object(node, issues)) continue;
    const resource = child(node, 'resource');
    const request = child(node, 'request');
    const type = isObject(resource.value) ? resource.value.resourceType : undefined;
    const fullUrl = text(child(node, 'fullUrl'), issues);
    if (!isObject(resource.value)) {
      issues.required(resource.path, 'the resource to create');
      continue;
    }
    if (!TRANSACTION_RESOURCE_TYPES.includes(type as EntryType)) {
      issues.add(
        'not-supported',
        `${resource.path}.resourceType`,
        `${resource.path} is a ${JSON.stringify(type)}: a transaction here carries only ${TRANSACTION_RESOURCE_TYPES.join(', ')}`,
      );
      continue;
    }
    const method = text(child(request, 'method'), issues);
    const url = text(child(request, 'url'), issues);
    if (!isObject(request.value)) issues.required(request.path, 'the request (method POST)');
    else if (method !== 'POST') {
      issues.add(
        'not-supported',
        `${request.path}.method`,
        `${request.path}.method must be "POST" (a create), not ${JSON.stringify(method)}`,
      );
    } else if (url !== type) {
      issues.add(
        'invalid',
        `${request.path}.url`,
        `${request.path}.url must be "${type}" (a create of the entry's resource), not ${JSON.stringify(url)}`,
      );
    }
    if (entries.has(type as EntryType)) {
      issues.add(
        'not-supported',
        resource.path,
        `The Bundle has more than one ${type}: one enrolment per Bundle`,
      );
      continue;
    }
    const ifNoneExist = child(request, 'ifNoneExist');
    entries.set(type as EntryType, {
      entry: { index, resourceType: type as EntryType, fullUrl, conditional: false },
      resource,
      ...(ifNoneExist.value !== undefined ? { ifNoneExist } : {}),
    });
  }
  for (const required of ['Patient', 'Condition'] as const) {
    if (!entries.has(required)) {
      issues.required(
        'Bundle.entry',
        `an entry with a ${required} (${required === 'Patient' ? 'the patient' : 'the vertebral fracture'})`,
      );
    }
  }
  const patientEntry = entries.get('Patient');
  const conditionEntry = entries.get('Condition');
  const encounterEntry = entries.get('Encounter');
  const episodeOfCareEntry = entries.get('EpisodeOfCare');
  if (!patientEntry || !conditionEntry) return fail(400);

  const paths = new PathMap('Bundle.entry');
  const patient = readPatient(patientEntry.resource, paths, issues);
  const condition = readCondition(conditionEntry.resource, paths, issues);
  const careSetting = encounterEntry
    ? readEncounter(encounterEntry.resource, paths, issues)
    : { kind: 'community' };
  if (!encounterEntry)
    paths.set('episode.careSetting', `${conditionEntry.resource.path}.encounter`);
  // Without an EpisodeOfCare the patient joins nobody's caseload (hazard HAZ-021).
  const nurseId = episodeOfCareEntry
    ? readEpisodeOfCare(episodeOfCareEntry.resource, paths, issues)
    : null;

  // References between entries: to the Patient's (and the Encounter's) fullUrl.
  const referenceTo = (from: Node, target: typeof patientEntry, what: string) => {
    const reference = text(child(from, 'reference'), issues);
    if (reference === undefined) return issues.required(from.path, `a reference to the ${what}`);
    if (!target.entry.fullUrl) {
      return issues.required(
        `Bundle.entry[${target.entry.index}].fullUrl`,
        `the ${what}'s fullUrl (e.g. "urn:uuid:…"), which ${from.path} refers to`,
      );
    }
    if (reference !== target.entry.fullUrl) {
      issues.add(
        'invalid',
        `${from.path}.reference`,
        `${from.path}.reference must be the ${what}'s fullUrl "${target.entry.fullUrl}" (got "${reference}")`,
      );
    }
    return undefined;
  };
  referenceTo(child(conditionEntry.resource, 'subject'), patientEntry, 'Patient');
  if (encounterEntry) {
    referenceTo(child(encounterEntry.resource, 'subject'), patientEntry, 'Patient');
    const encounterRef = child(conditionEntry.resource, 'encounter');
    if (encounterRef.value !== undefined) referenceTo(encounterRef, encounterEntry, 'Encounter');
  } else if (child(conditionEntry.resource, 'encounter').value !== undefined) {
    const path = `${conditionEntry.resource.path}.encounter`;
    issues.add('invalid', path, `${path} refers to an Encounter the Bundle does not carry`);
  }
  if (episodeOfCareEntry) {
    const episodeOfCare = episodeOfCareEntry.resource;
    referenceTo(child(episodeOfCare, 'patient'), patientEntry, 'Patient');
    // The fracture it is for, when named: the Condition entry (the episode is one fracture's).
    const diagnoses = items(child(episodeOfCare, 'diagnosis'), issues);
    for (const diagnosis of diagnoses) {
      const condition = child(diagnosis, 'condition');
      if (condition.value === undefined)
        issues.required(condition.path, 'a reference to the Condition');
      else referenceTo(condition, conditionEntry, 'Condition');
    }
  }

  // Conditional creates: an identifier search naming the identifier the record is keyed on.
  const conditional = (found: typeof patientEntry, keyed: BusinessIdentifier | undefined) => {
    if (!found.ifNoneExist) return false;
    const search = text(found.ifNoneExist, issues);
    if (search === undefined) return false;
    return checkIfNoneExist(
      search,
      found.entry.resourceType,
      keyed,
      found.ifNoneExist.path,
      issues,
    );
  };
  const patientEntryChecked = {
    ...patientEntry.entry,
    conditional: conditional(patientEntry, patient.keyedOn),
  };
  const conditionEntryChecked = {
    ...conditionEntry.entry,
    conditional: conditional(conditionEntry, condition.identifier),
  };
  // The admission is part of the episode: its search is checked like any, the Condition's decides.
  const encounterEntryChecked = encounterEntry
    ? {
        ...encounterEntry.entry,
        conditional: encounterEntry.ifNoneExist
          ? conditional(encounterEntry, readIdentifier(encounterEntry.resource, issues))
          : false,
      }
    : undefined;
  // The EpisodeOfCare is the episode too: the same, its search checked, the Condition's decides.
  const episodeOfCareEntryChecked = episodeOfCareEntry
    ? {
        ...episodeOfCareEntry.entry,
        conditional: episodeOfCareEntry.ifNoneExist
          ? conditional(episodeOfCareEntry, readIdentifier(episodeOfCareEntry.resource, issues))
          : false,
      }
    : undefined;

  const patientInput = {
    id: patient.keyedOn ? idFromIdentifier('Patient', patient.keyedOn) : 'unknown-patient',
    ...patient.fields,
  };
  const episodeInput = {
    id: condition.identifier
      ? idFromIdentifier('Condition', condition.identifier)
      : 'unknown-episode',
    // Episodes enrolled through FHIR are planned under the pathway in force.
    pathwayVersion: CURRENT_PATHWAY_VERSION,
    ...condition.fields,
    careSetting,
  };

  // The domain's checks of the values, as the write path runs them (records/write-path.ts).
  const domainIssues: InputIssue[] = [];
  const context = { now: options.now.getTime() };
  const validPatient = domainCheck(domainIssues, () => parsePatient(patientInput, context));
  const names = DemographicsSchema.safeParse(patient.demographics);
  if (!names.success) {
    for (const issue of names.error.issues) {
      domainIssues.push({
        path: ['demographics', ...issue.path].join('.'),
        message: issue.message,
      });
    }
  }
  // With the patient refused, the episode is still checked (its dates against a stand-in with no
  // date of birth), so every problem is named at once, as the write path does.
  const episodeFor = validPatient ?? {
    id: patientInput.id,
    identifier: { kind: 'mrn', value: 'unknown' },
    dateOfBirth: '0001-01-01',
    sex: 'not-known',
  };
  domainCheck(domainIssues, () =>
    parseEpisode(
      { ...episodeInput, patientId: episodeFor.id, enrolledAt: options.now.toISOString() },
      { ...context, patient: episodeFor as Patient },
    ),
  );
  const formIssues = issues.issues;
  const all = withoutRepeats(formIssues, paths.issuesOf(domainIssues));
  if (all.length > 0) {
    return { ok: false, status: formIssues.length > 0 ? 400 : 422, issues: all };
  }
  return {
    ok: true,
    value: {
      enrolment: {
        patient: patientInput,
        demographics: patient.demographics,
        episode: episodeInput,
        nurseId,
      },
      patient: validPatient as Patient,
      entries: {
        patient: patientEntryChecked,
        condition: conditionEntryChecked,
        encounter: encounterEntryChecked,
        episodeOfCare: episodeOfCareEntryChecked,
      },
      conditionIdentifier: condition.identifier as BusinessIdentifier,
      paths,
    },
  };
}

function domainCheck<T>(issues: InputIssue[], check: () => T): T | undefined {
  try {
    return check();
  } catch (error) {
    if (error instanceof PathwayInputError) {
      issues.push(...error.issues);
      return undefined;
    }
    throw error;
  }
}

/** The first identifier with a system and a value: what the record is keyed on. */
function readIdentifier(resource: Node, issues: IssueList): BusinessIdentifier | undefined {
  for (const node of items(child(resource, 'identifier'), issues)) {
    const system = text(child(node, 'system'), issues);
    const value = text(child(node, 'value'), issues);
    if (system && value) return { system, value };
  }
  return undefined;
}

function readPatient(resource: Node, paths: PathMap, issues: IssueList) {
  refuseModifierExtensions(resource, issues);
  const at = resource.path;
  paths.set('patient', at);
  const fields: Record<string, unknown> = {};
  let keyedOn: BusinessIdentifier | undefined;

  // The NHS number when given; otherwise the medical record number (type MR).
  const identifiers = items(child(resource, 'identifier'), issues);
  const nhs = identifiers.find(
    (node) => isObject(node.value) && node.value.system === NHS_NUMBER_SYSTEM,
  );
  const mrn = identifiers.find(
    (node) =>
      (isObject(node.value) && node.value.system === MRN_SYSTEM) ||
      codings(child(node, 'type'), new IssueList()).some(
        (coding) => coding.system === IDENTIFIER_TYPE_SYSTEM && coding.code === MRN_TYPE_CODE,
      ),
  );
  const chosen = nhs ?? mrn;
  paths.set('patient.identifier', `${at}.identifier`);
  if (!chosen) {
    issues.required(
      `${at}.identifier`,
      `an NHS number (system "${NHS_NUMBER_SYSTEM}") or a medical record number (type ${IDENTIFIER_TYPE_SYSTEM}|${MRN_TYPE_CODE}, or system ${MRN_SYSTEM})`,
    );
  } else {
    const value = text(child(chosen, 'value'), issues);
    const system = text(child(chosen, 'system'), issues);
    paths.set('patient.identifier.value', `${chosen.path}.value`);
    if (value === undefined) issues.required(`${chosen.path}.value`, 'the identifier itself');
    if (chosen === nhs) {
      fields.identifier = { kind: 'nhs-number', value };
    } else {
      if (system === undefined) issues.required(`${chosen.path}.system`, "the MRN's system");
      const issuer = text(child(child(child(chosen, 'assigner'), 'identifier'), 'value'), issues);
      paths.set('patient.identifier.issuer', `${chosen.path}.assigner.identifier.value`);
      fields.identifier = { kind: 'mrn', value, ...(issuer !== undefined ? { issuer } : {}) };
    }
    if (system !== undefined && value !== undefined) keyedOn = { system, value };
  }

  const birthDate = text(child(resource, 'birthDate'), issues);
  paths.set('patient.dateOfBirth', `${at}.birthDate`);
  if (birthDate === undefined) issues.required(`${at}.birthDate`, 'the date of birth (YYYY-MM-DD)');
  else fields.dateOfBirth = birthDate;

  const gender = text(child(resource, 'gender'), issues);
  paths.set('patient.sex', `${at}.gender`);
  if (gender === undefined) issues.required(`${at}.gender`, 'male, female, other or unknown');
  else if (!GENDERS[gender]) {
    issues.add(
      'code-invalid',
      `${at}.gender`,
      `${at}.gender must be male, female, other or unknown (got ${JSON.stringify(gender)})`,
    );
  } else fields.sex = GENDERS[gender];

  // The official name when marked, otherwise the first; given names joined by spaces.
  const names = items(child(resource, 'name'), issues);
  const name =
    names.find((node) => isObject(node.value) && node.value.use === 'official') ?? names[0];
  const demographics: Record<string, unknown> = {};
  paths.set('demographics', `${at}.name`);
  if (!name) issues.required(`${at}.name`, "the patient's given and family names");
  else {
    const family = text(child(name, 'family'), issues);
    const given = items(child(name, 'given'), issues)
      .map((node) => text(node, issues))
      .filter((part): part is string => part !== undefined);
    paths.set('demographics.familyName', `${name.path}.family`);
    paths.set('demographics.givenName', `${name.path}.given`);
    if (family === undefined) issues.required(`${name.path}.family`, 'the family name');
    else demographics.familyName = family;
    if (given.length === 0) issues.required(`${name.path}.given`, 'the given name');
    else demographics.givenName = given.join(' ');
  }
  return { fields, demographics, keyedOn };
}

function readCondition(resource: Node, paths: PathMap, issues: IssueList) {
  refuseModifierExtensions(resource, issues);
  const at = resource.path;
  paths.set('episode', at);
  const fields: Record<string, unknown> = {};

  const identifier = readIdentifier(resource, issues);
  paths.set('episode.id', `${at}.identifier`);
  if (!identifier) {
    issues.required(
      `${at}.identifier`,
      'an identifier with a system and a value: the episode is keyed on it, so a repeated message finds it',
    );
  }

  const verification = codings(child(resource, 'verificationStatus'), issues).find(
    (coding) => coding.system === CONDITION_VERIFICATION_SYSTEM,
  );
  if (verification?.code && REFUSED_VERIFICATION.includes(verification.code)) {
    issues.add(
      'business-rule',
      `${at}.verificationStatus`,
      `${at}.verificationStatus is "${verification.code}": only a fracture that is present can be enrolled`,
    );
  }

  const sites = items(child(resource, 'bodySite'), issues);
  paths.set('episode.vertebralLevels', `${at}.bodySite`);
  if (sites.length === 0) {
    issues.required(
      `${at}.bodySite`,
      `one bodySite per fractured vertebral level (T1 to L5), coded in ${VERTEBRAL_LEVEL_SYSTEM} or as text`,
    );
  } else {
    fields.vertebralLevels = sites.map((site, i) => {
      paths.set(`episode.vertebralLevels[${i}]`, site.path);
      return codeIn(site, VERTEBRAL_LEVEL_SYSTEM, issues);
    });
  }

  for (const other of ['onsetAge', 'onsetPeriod', 'onsetRange', 'onsetString']) {
    if (child(resource, other).value !== undefined) {
      issues.add(
        'not-supported',
        `${at}.${other}`,
        `${at}.${other} is not accepted: give the date of fracture (or of symptom onset) as onsetDateTime, marked estimated with the extension ${CONDITION_EXTENSIONS.fractureDateEstimated}`,
      );
    }
  }
  const onset = text(child(resource, 'onsetDateTime'), issues);
  paths.set('episode.fractureDate', `${at}.onsetDateTime`);
  if (onset === undefined) {
    issues.required(
      `${at}.onsetDateTime`,
      'the date of fracture, or of symptom onset when that is not known',
    );
  } else fields.fractureDate = calendarDateOf(onset);

  // recordedDate is when the sender made its record, not when the fracture was identified: it is
  // not read (the read side's recordedDate is the enrolment instant).

  const flag = (
    field: keyof typeof CONDITION_EXTENSIONS,
    kind: 'valueBoolean' | 'valueCode' | 'valueDateTime',
    what: string,
    required: boolean,
  ) => {
    const url = CONDITION_EXTENSIONS[field];
    const found = extension(resource, url, issues);
    if (!found) {
      paths.set(`episode.${field}`, extensionPath(resource, url));
      if (required)
        issues.required(extensionPath(resource, url), `${what} (extension ${url}, ${kind})`);
      return;
    }
    const value = child(found, kind);
    paths.set(`episode.${field}`, value.path);
    const read =
      kind === 'valueBoolean'
        ? bool(value, issues)
        : kind === 'valueDateTime'
          ? calendarDateOf(text(value, issues))
          : text(value, issues);
    if (read === undefined && value.value === undefined) issues.required(value.path, what);
    if (read !== undefined) fields[field] = read;
  };
  flag('fractureDateEstimated', 'valueBoolean', 'whether the onset date is estimated', false);
  // The R4 core extension condition-assertedDate
  // (http://hl7.org/fhir/R4/extension-condition-asserteddate.html): a date, or a dateTime whose
  // date as written is taken.
  flag('identifiedOn', 'valueDateTime', 'the date the fracture was identified', true);
  flag('identification', 'valueCode', 'how the fracture was identified', true);
  flag('columnInvolvement', 'valueCode', 'the column involvement', true);
  flag('neurologicalDeficit', 'valueBoolean', 'whether there is a neurological deficit', true);
  flag('suspectedMalignancy', 'valueBoolean', 'whether malignancy is suspected', true);
  flag('mriOedema', 'valueCode', 'the MRI oedema finding', true);
  return { fields, identifier };
}

function readEncounter(resource: Node, paths: PathMap, issues: IssueList) {
  refuseModifierExtensions(resource, issues);
  const at = resource.path;
  paths.set('episode.careSetting', `${at}.class`);
  const status = text(child(resource, 'status'), issues);
  if (status !== undefined && REFUSED_ENCOUNTER_STATUS.includes(status)) {
    issues.add(
      'business-rule',
      `${at}.status`,
      `${at}.status is "${status}": only an admission that took place is accepted`,
    );
  }
  const encounterClass = child(resource, 'class');
  const classObject = object(encounterClass, issues);
  if (!classObject) {
    issues.required(encounterClass.path, `the inpatient class (${ACT_CODE_SYSTEM}|IMP)`);
  } else {
    const system = text(child(encounterClass, 'system'), issues);
    const code = text(child(encounterClass, 'code'), issues);
    if (system !== ACT_CODE_SYSTEM || !INPATIENT_CLASS_CODES.includes(code as 'IMP')) {
      issues.add(
        'not-supported',
        encounterClass.path,
        `${encounterClass.path} must be an inpatient admission (${ACT_CODE_SYSTEM} ${INPATIENT_CLASS_CODES.join(', ')}), got ${JSON.stringify(`${system}|${code}`)}: leave the Encounter out for a patient not admitted`,
      );
    }
  }
  const start = child(child(resource, 'period'), 'start');
  paths.set('episode.careSetting.admittedAt', start.path);
  const admittedAt = text(start, issues);
  if (admittedAt === undefined)
    issues.required(start.path, 'when the patient was admitted (a dateTime with a time zone)');
  return { kind: 'admitted', admittedAt };
}

const EPISODE_OF_CARE_STATUSES = ['planned', 'active'];

/**
 * The EpisodeOfCare of the fracture liaison service, read for one thing: the nurse whose caseload
 * the patient joins, named by careManager.identifier (system USER_SYSTEM, value the nurse's user
 * id: the identifier the read side writes). One way only: no reference (the service exposes no
 * Practitioner resources), no display or e-mail looked up. The episode's other elements (period,
 * type, team) are the service's to set and are not read.
 */
function readEpisodeOfCare(resource: Node, paths: PathMap, issues: IssueList): string | null {
  refuseModifierExtensions(resource, issues);
  const at = resource.path;
  const status = text(child(resource, 'status'), issues);
  if (status === undefined) {
    issues.required(
      `${at}.status`,
      `the episode's status (${EPISODE_OF_CARE_STATUSES.join(' or ')})`,
    );
  } else if (!EPISODE_OF_CARE_STATUSES.includes(status)) {
    issues.add(
      'business-rule',
      `${at}.status`,
      `${at}.status is "${status}": an enrolment starts an episode, so it must be ${EPISODE_OF_CARE_STATUSES.map((s) => `"${s}"`).join(' or ')}`,
    );
  }
  const careManager = child(resource, 'careManager');
  const identifier = child(careManager, 'identifier');
  const value = child(identifier, 'value');
  paths.set('nurseId', value.path);
  const leaveOut = "leave the EpisodeOfCare out to enrol onto nobody's caseload";
  if (!object(careManager, issues)) {
    if (careManager.value === undefined) {
      issues.required(
        careManager.path,
        `the nurse whose caseload the patient joins, as identifier (system "${USER_SYSTEM}", value the nurse's user id); ${leaveOut}`,
      );
    }
    return null;
  }
  if (child(careManager, 'reference').value !== undefined) {
    issues.add(
      'not-supported',
      `${careManager.path}.reference`,
      `${careManager.path}.reference is not supported: the service exposes no Practitioner resources; name the nurse by identifier (system "${USER_SYSTEM}", value the nurse's user id)`,
    );
  }
  if (!object(identifier, issues)) {
    if (identifier.value === undefined) {
      issues.required(
        identifier.path,
        `the nurse's user id as an identifier with system "${USER_SYSTEM}"`,
      );
    }
    return null;
  }
  const system = text(child(identifier, 'system'), issues);
  if (system !== USER_SYSTEM) {
    issues.add(
      'code-invalid',
      `${identifier.path}.system`,
      `${identifier.path}.system must be "${USER_SYSTEM}" (the service's user ids), not ${JSON.stringify(system)}`,
    );
  }
  const nurseId = text(value, issues)?.trim();
  if (nurseId === undefined || nurseId === '') {
    if (typeof value.value !== 'string' && value.value !== undefined) return null;
    issues.required(value.path, "the nurse's user id");
    return null;
  }
  return nurseId;
}
