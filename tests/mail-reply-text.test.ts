/**
 * Reply text (src/mail-ingestion/reply-text.ts, signature.ts): the new part of a customer's reply.
 * Pure: no Strapi, no database. The corpus in tests/fixtures/replies/ (its README says where each
 * case comes from); `npm run bench:replies` runs the same corpus through the libraries too.
 */
import { visibleText } from '../src/plugins/helpdesk/server/src/mail-ingestion/reply-text';
import { craftedInputs, replyCorpus, sameLines } from './fixtures/replies/corpus';

/** Cases no stripper gets from the text alone (talon needs the sender's name for "Stavros / via mobile"). */
const KNOWN_MISSES = ['talon/signature_jeff'];

/** Shows the output against the expected text when they differ. */
const expectSameLines = (output: string, expected: string): void => {
  if (!sameLines(output, expected)) expect(output).toBe(expected.trim());
};

describe('visibleText on the corpus of real-world replies', () => {
  const cases = replyCorpus();

  it('has the cases of every source', () => {
    expect(cases.length).toBeGreaterThanOrEqual(140);
  });

  it.each(cases.filter((c) => !KNOWN_MISSES.includes(c.id)).map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expectSameLines(visibleText(c.input), c.expected);
  });

  it('still misses the known misses (take one off the list when it passes)', () => {
    for (const c of cases.filter((entry) => KNOWN_MISSES.includes(entry.id))) {
      expect(sameLines(visibleText(c.input), c.expected)).toBe(false);
    }
  });
});

describe('visibleText: signatures without "-- "', () => {
  const reply = 'The printer on floor 3 is jammed again.';

  it.each([
    ['Best regards,\nAnn Example\nIT Manager | ACME Corp\n+1 555 0100\nhttps://acme.example'],
    ['Kind regards\n\nAnn'],
    ['Thanks,\nBob'],
    ['Cheers 🎉\nSarah\n\n—————\nSarah Johnson\nProduct Manager'],
    ['Mit freundlichen Grüßen\n\nMax Mustermann\nBeispiel GmbH\nMusterstraße 1, 12345 Berlin\nTel. +49 30 1234567'],
    ['Cordialement,\nJean Dupont'],
    ['Saludos,\nMaría García\nGerente de TI'],
    ['Met vriendelijke groet,\n\nJan de Vries\nT: 020 123 4567'],
    ['Med vänliga hälsningar\nErik'],
    ['Regards, Roman'],
    ['-Abhishek Kona'],
    ['Sent from my iPhone'],
    ['Von meinem iPhone gesendet'],
    ['Skickat från min iPhone'],
    ['Best regards,\nJohn\n\n--\nJohn Doe\nSenior Developer\n\nSent from my iPhone'],
    ['Gina Example\ngina@example.com\n(555) 346-9947\nwww.example.com'],
  ])('strips %j', (signature) => {
    expect(visibleText(`${reply}\n\n${signature}\n`)).toBe(reply);
  });

  it.each([
    ['a closing phrase inside the message', `${reply}\n\nBest regards to your colleague who fixed it last time.\n\nCan you send someone?`],
    ['a closing phrase over prose', `${reply}\n\nThanks,\nthe new toner did not help either.`],
    ['a closing phrase over a long block', `${reply}\n\nThanks,\n${Array.from({ length: 12 }, (_, step) => `Step ${step + 1} done`).join('\n')}`],
    ['a postscript under the signature', `${reply}\n\nThanks,\nBob\n\nP.S. The serial number is SN-4471.`],
    ['contact details the customer gives', `${reply} Please call our site contact:\n\nBob Builder\n+1 555 0101\nbob@site.example`],
    ['"Sent from my desk, …" in a sentence', `${reply}\n\nSent from my desk, which is much easier than my phone.`],
    ['a -- in the middle of a line', `${reply}\n\nHere is a fix -- not a signature.`],
    ['a mail that is only a signature', 'Best regards,\nAnn'],
  ])('keeps %s', (_what, text) => {
    expect(visibleText(text)).toBe(text);
  });

  it('takes "Best regards" alone, not the "Thank you." above it', () => {
    expect(visibleText('Can I get a new toner?\nThank you.\nBest regards')).toBe('Can I get a new toner?\nThank you.');
  });
});

describe('visibleText: quotes and forwards', () => {
  it('keeps a forward whole, and keeps the answer written below a quote', () => {
    const forward =
      'Please look at this.\n\n---------- Forwarded message ---------\nFrom: Vendor <info@vendor.example>\nDate: Mon, Nov 23, 2026 at 9:00 AM\nSubject: Delivery\nTo: <ann@example.com>\n\nYour delivery is late.';
    expect(visibleText(forward)).toBe(forward);
    const below = 'Hi,\nOn Tue, 2026-03-01 at 18:02 +0530, Bob wrote:\n> Which port?\n> The old one?\n\nPort 8080, the new one.\n\nThanks,\nAnn';
    expect(visibleText(below)).toBe('Hi,\n\nPort 8080, the new one.');
  });

  it('cuts at a quote header wrapped over three lines, a Japanese one, and a "Sent from my iPhone" over the original', () => {
    expect(visibleText('Works.\n\nOn Dec 16, 2011, at 12:47 PM, Corey Donohoe\n<reply@reply.github.com>\nwrote:\n\n> Fixed?\n')).toBe('Works.');
    expect(visibleText('了解しました。\n\n2026年11月23日(月) 10:00 Helpdesk <support@helpdesk.example>:\n> 再起動してください。\n')).toBe('了解しました。');
    expect(visibleText('Fine now.\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n\nHi Ann, please restart.\n')).toBe('Fine now.');
  });

  it('does not take a line of the reply for a wrapped header, nor "From: Berlin / To: Munich" for Outlook', () => {
    expect(visibleText('I tried again at 10:30.\nOn Mon, Nov 23, 2026 at 10:00 AM Bob <bob@example.com> wrote:\n> x\n> y')).toBe('I tried again at 10:30.');
    const route = 'We need a courier:\n\nFrom: Berlin office\nTo: Munich office\nDate: Monday 9:00\n\nCan you book it?';
    expect(visibleText(route)).toBe(route);
  });

  it('keeps a quote that comes after 2,000 lines of text (the scan stops there), but strips the signature at the end', () => {
    const long = Array.from({ length: 2_100 }, (_, line) => `Log line ${line}`).join('\n');
    const text = `${long}\n\nOn Mon, Nov 23, 2026 at 10:00 AM Bob <bob@example.com> wrote:\n> x\n> y\n\n-- \nAnn`;
    expect(visibleText(text)).toBe(`${long}\n\nOn Mon, Nov 23, 2026 at 10:00 AM Bob <bob@example.com> wrote:\n> x\n> y`);
  });
});

// No time is measured here (bench:replies does that): a regex that backtracked on these would run
// for minutes, and the test would fail on Jest's timeout.
describe('visibleText on crafted input', () => {
  it.each(craftedInputs().map((input) => [input.name, input] as const))('%s', (_name, { text, expected }) => {
    const output = visibleText(text);
    if (typeof expected === 'function') expect(expected(output)).toBe(true);
    else expect(output).toBe(expected);
  });
});
