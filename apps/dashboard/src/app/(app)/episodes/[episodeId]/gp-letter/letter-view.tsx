import { type GpLetter, type GpLetterItem, gpLetterOverdueItems } from '@vfx/domain';
import { formatCalendarDate } from '@/ui/dates';

/**
 * The letter as HTML, in the order and words of its PDF (packages/domain gp-letter-pdf.ts): the
 * preview a nurse reads before signing off. The free-text sections show what was saved.
 */
export function GpLetterView({ letter }: { letter: GpLetter }) {
  return (
    <article className="gp-letter" aria-label="The letter to the GP">
      <div className="gp-letter__sender">
        <p className="gp-letter__service">{letter.sender.serviceName}</p>
        {letter.sender.addressLines.map((line) => (
          <p key={line}>{line}</p>
        ))}
        {letter.sender.telephone ? <p>Telephone: {letter.sender.telephone}</p> : null}
        {letter.sender.email ? <p>Email: {letter.sender.email}</p> : null}
      </div>
      <div className="gp-letter__address">
        <div>
          {letter.recipient.map((line) => (
            <p key={line}>{line}</p>
          ))}
        </div>
        <p>Date: {formatCalendarDate(letter.letterDate)}</p>
      </div>
      <table className="gp-letter__patient">
        <caption className="nhsuk-u-visually-hidden">The patient</caption>
        <tbody>
          <tr>
            <th scope="row">Name</th>
            <td>{letter.patient.name}</td>
          </tr>
          {letter.patient.identifiers.map((identifier) => (
            <tr key={identifier.label}>
              <th scope="row">{identifier.label}</th>
              <td>{identifier.value}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Date of birth</th>
            <td>{formatCalendarDate(letter.patient.dateOfBirth)}</td>
          </tr>
          <tr>
            <th scope="row">Sex</th>
            <td>{letter.patient.sex}</td>
          </tr>
        </tbody>
      </table>
      <p>{letter.salutation}</p>
      <p className="gp-letter__subject">Re: {letter.subject}</p>
      {letter.sections.map((section) => (
        <section key={section.id} aria-labelledby={`letter-${section.id}`}>
          <h3 id={`letter-${section.id}`} className="gp-letter__heading">
            {section.heading}
            {section.editable ? <span className="gp-letter__yours"> (your text)</span> : null}
          </h3>
          {section.intro ? <p>{section.intro}</p> : null}
          {section.editable ? (
            <p className="gp-letter__free-text">{section.items[0]?.text ?? 'None.'}</p>
          ) : section.items.length > 0 ? (
            <ul>
              {section.items.map((item) => (
                <Item key={`${item.text}|${item.date ?? ''}`} item={item} />
              ))}
            </ul>
          ) : null}
        </section>
      ))}
      <p className="gp-letter__closing">Yours sincerely,</p>
      {letter.signature ? (
        <div>
          <p className="strong">{letter.signature.name}</p>
          <p>{letter.signature.role}</p>
          <p>{letter.sender.serviceName}</p>
        </div>
      ) : (
        <p className="gp-letter__draft">DRAFT: not signed off. This letter must not be sent.</p>
      )}
    </article>
  );
}

function Item({ item }: { item: GpLetterItem }) {
  return (
    <li className={item.overdue ? 'gp-letter__item--overdue' : undefined}>
      {item.urgent ? <strong className="gp-letter__important">Important: </strong> : null}
      {item.prompt ? <strong>Please check: </strong> : null}
      {item.text}
      {item.date ? (
        <span className={`gp-letter__date${item.overdue ? ' gp-letter__date--overdue' : ''}`}>
          {item.dateLabel ?? 'Date'}: {formatCalendarDate(item.date)}
        </span>
      ) : null}
      {item.sources?.map((source) => (
        <span key={source} className="gp-letter__source">
          Source: {source}
        </span>
      ))}
    </li>
  );
}

/**
 * The letter's dates already past (packages/domain gpLetterOverdueItems), listed before sign-off
 * so the nurse sees what the letter asks for as soon as possible. Nothing when none has passed.
 */
export function OverdueSummary({ letter }: { letter: GpLetter }) {
  const overdue = gpLetterOverdueItems(letter);
  if (overdue.length === 0) return null;
  return (
    <div className="nhsuk-warning-callout gp-letter-overdue" data-overdue={overdue.length}>
      <h3 className="nhsuk-warning-callout__label">
        <span className="nhsuk-u-visually-hidden">Important: </span>
        {overdue.length === 1
          ? '1 date in this letter has passed'
          : `${overdue.length} dates in this letter have passed`}
      </h3>
      <p>
        The letter says each is overdue and asks for it as soon as possible. Check them before
        signing off.
      </p>
      <ul>
        {overdue.map(({ section, heading, item }) => (
          <li key={`${section}|${item.text}`}>
            <span className="gp-letter-overdue__section">{heading}: </span>
            {item.text}{' '}
            <strong>
              {item.dateLabel}: {formatCalendarDate(item.date as string)}
            </strong>
          </li>
        ))}
      </ul>
    </div>
  );
}
