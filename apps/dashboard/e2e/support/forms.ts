// Filling the record forms as a nurse would, and reading back what they hold: every control, so a
// test can show that nothing typed is lost after a refused submission.
import type { Locator, Page } from 'playwright-core';

/** Every named control of a form and what it holds ("name=value", "name:value=checked"). */
export async function formSnapshot(form: Locator): Promise<string[]> {
  return form.evaluate((element) =>
    Array.from((element as HTMLFormElement).elements).flatMap((control) => {
      if (
        !(
          control instanceof HTMLInputElement ||
          control instanceof HTMLSelectElement ||
          control instanceof HTMLTextAreaElement
        ) ||
        !control.name ||
        control.type === 'hidden' ||
        control.type === 'submit' ||
        control.name.startsWith('$')
      )
        return [];
      if (control instanceof HTMLInputElement && ['radio', 'checkbox'].includes(control.type))
        return [`${control.name}:${control.value}=${control.checked}`];
      return [`${control.name}=${control.value}`];
    }),
  );
}

/** Types into the day, month and year boxes (and the time box, when given) of a date field. */
export async function fillDate(
  scope: Locator | Page,
  legend: string | RegExp,
  date: { day: number; month: number; year: number; time?: string },
): Promise<void> {
  const group = scope.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(String(date.day));
  await group.getByLabel('Month').fill(String(date.month));
  await group.getByLabel('Year').fill(String(date.year));
  if (date.time !== undefined) await group.getByLabel('Time (24-hour)').fill(date.time);
}

/** A date `days` from today (negative: before), as date boxes in the browser's zone. */
export function dayFromToday(days: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(new Date(Date.now() + days * 86_400_000));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { day: part('day'), month: part('month'), year: part('year') };
}

/**
 * Fills every control with a value that is not its default: the last option of each select, the
 * last answer with a value of each radio group (or `radios[name]`), every checkbox, a number in
 * number boxes, words in text boxes, `date` in every date's boxes. `skip` names controls left as
 * they are (filled by the test itself).
 */
export async function fillEveryField(
  form: Locator,
  options: {
    readonly date: { day: number; month: number; year: number };
    readonly radios?: Readonly<Record<string, string>>;
    readonly skip?: readonly string[];
  },
): Promise<void> {
  const skip = new Set(options.skip ?? []);
  const controls = await form.evaluate((element) =>
    Array.from((element as HTMLFormElement).elements).flatMap((control) =>
      control instanceof HTMLInputElement ||
      control instanceof HTMLSelectElement ||
      control instanceof HTMLTextAreaElement
        ? [
            {
              id: control.id,
              name: control.name,
              tag: control.tagName.toLowerCase(),
              type: control.type,
              value: control.value,
              inputMode: control.getAttribute('inputmode') ?? '',
              options:
                control instanceof HTMLSelectElement
                  ? Array.from(control.options).map((option) => option.value)
                  : [],
            },
          ]
        : [],
    ),
  );
  const radioValues = new Map<string, string[]>();
  for (const control of controls) {
    if (control.type === 'radio' && control.value) {
      radioValues.set(control.name, [...(radioValues.get(control.name) ?? []), control.value]);
    }
  }
  const timePart = (name: string) => /-time$/.test(name);
  for (const control of controls) {
    if (!control.name || skip.has(control.name) || control.name.startsWith('$')) continue;
    if (control.type === 'hidden' || control.type === 'submit') continue;
    const input = form.locator(`[id="${control.id}"]`);
    if (control.tag === 'select') {
      await input.selectOption(control.options.at(-1) ?? '');
    } else if (control.type === 'radio') {
      const wanted = options.radios?.[control.name] ?? radioValues.get(control.name)?.at(-1);
      if (control.value === wanted) await input.check();
    } else if (control.type === 'checkbox') {
      await input.check();
    } else if (control.tag === 'textarea') {
      await input.fill(`Typed into ${control.name}`);
    } else if (/-day$/.test(control.name)) {
      await input.fill(String(options.date.day));
    } else if (/-month$/.test(control.name)) {
      await input.fill(String(options.date.month));
    } else if (/-year$/.test(control.name)) {
      await input.fill(String(options.date.year));
    } else if (timePart(control.name)) {
      await input.fill('08:45');
    } else if (control.inputMode === 'numeric') {
      await input.fill('3');
    } else if (control.inputMode === 'decimal') {
      await input.fill('-1.5');
    } else {
      await input.fill(`Typed ${control.name}`);
    }
  }
}

/** Waits until React has drawn the page and the design system's script has started. */
export async function waitForScript(page: Page): Promise<void> {
  await page.locator('body.nhsuk-frontend-supported').waitFor({ state: 'attached' });
}

/**
 * After a refused submission: the error summary is shown and has the focus, the title starts
 * with "Error: ", and every link in the summary reaches an element. Returns the summary's lines.
 */
export async function refusedSubmission(page: Page): Promise<string[]> {
  const summary = page.locator('.nhsuk-error-summary');
  await summary.waitFor();
  await page.waitForFunction(() =>
    document.activeElement?.classList.contains('nhsuk-error-summary'),
  );
  const title = await page.title();
  if (!title.startsWith('Error: ')) throw new Error(`The title "${title}" has no "Error: "`);
  const broken = await summary.evaluate((element) =>
    Array.from(element.querySelectorAll('a'))
      .map((link) => link.getAttribute('href') ?? '')
      .filter((href) => !href.startsWith('#') || !document.getElementById(href.slice(1))),
  );
  if (broken.length > 0) throw new Error(`Summary links reach nothing: ${broken.join(', ')}`);
  return summary.locator('li').allTextContents();
}

/** "2026-03-04" as date boxes. */
export function boxesOf(isoDate: string): { day: number; month: number; year: number } {
  const [year, month, day] = isoDate.split('-').map(Number);
  return { day: day ?? 0, month: month ?? 0, year: year ?? 0 };
}

/** What a date field's boxes hold, as "2026-03-04". */
export async function readDate(scope: Locator | Page, legend: string | RegExp): Promise<string> {
  const group = scope.getByRole('group', { name: legend });
  const box = async (label: string, size: number) =>
    (await group.getByLabel(label).inputValue()).padStart(size, '0');
  return `${await box('Year', 4)}-${await box('Month', 2)}-${await box('Day', 2)}`;
}
