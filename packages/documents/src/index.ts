// Documents the service produces for people outside it (the patient's written plan, the letter
// to the GP, letters sent through GOV.UK Notify): rendering shared by the dashboard and the worker.
export {
  describeUnprintable,
  type PdfDocumentDefinition,
  renderPdf,
  UnprintableTextError,
  unprintableCharacters,
} from './pdf.js';
