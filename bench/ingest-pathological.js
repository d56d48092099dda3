// The pathological mix of npm run bench:ingest: mails built to make one stage slow (deep HTML,
// large images, very long lines, many parts), each ingested on its own so its time is its own.
// Deterministic: the same bytes on every run.
const zlib = require('zlib');
const crypto = require('crypto');
const MailComposer = require('nodemailer/lib/mail-composer');
const { SUPPORT } = require('./mail-corpus');

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGB PNG of width×height: `noise` pixels (seeded, incompressible) or one colour. */
function png(width, height, noise) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((1 + width * 3) * height, 0xd0);
  if (noise) {
    const random = crypto.createHash('sha256').update('bench-png').digest();
    for (let i = 0; i < raw.length; i += 32) crypto.createHash('sha256').update(random).update(String(i)).digest().copy(raw, i);
  }
  for (let y = 0; y < height; y += 1) raw[y * (1 + width * 3)] = 0; // filter byte: none
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(raw, { level: 1 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const words = (n, salt) => Array.from({ length: n }, (_, i) => `word${(i * 7919 + salt) % 1000}`).join(' ');

/** [label, nodemailer message] for each pathological mail. */
function pathologicalMails() {
  const base = (i, subject) => ({
    from: `Stress ${i} <stress${i}@example.test>`,
    to: SUPPORT,
    subject,
    messageId: `<pathological-${i}@corpus.example.test>`,
    date: new Date(Date.UTC(2025, 1, 1) + i * 60_000),
    baseBoundary: `pathological${i}`,
    newline: 'windows',
  });
  const nested = (depth, open, close, inner) => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
  return [
    ['deep HTML: 20,000 nested <div>', { ...base(1, 'Deep HTML'), html: `<html><body>${nested(20_000, '<div>', '</div>', words(50, 1))}</body></html>` }],
    ['deep HTML: 5,000 nested <blockquote> and unclosed <table>', { ...base(2, 'Deep quotes'), html: `${nested(5_000, '<blockquote><table><tr><td>', '', words(20, 2))}` }],
    ['very long line: 2 MB of text, no newline', { ...base(3, 'Long line'), text: words(250_000, 3) }],
    ['very long HTML line: 1 MB, 50,000 inline elements', { ...base(4, 'Long HTML line'), html: `<p>${'<b>x</b><i>y</i> '.repeat(50_000)}</p>` }],
    ['long subject (100 KB) and long header lines', { ...base(5, words(12_000, 5)), text: 'short', headers: { 'X-Long': words(10_000, 6) } }],
    ['quoted reply chain: 20,000 quoted lines', { ...base(6, 'Re: thread'), text: `Answer on top.\n\nOn Mon, someone wrote:\n${Array.from({ length: 20_000 }, (_, i) => `${'>'.repeat(1 + (i % 30))} ${words(8, i)}`).join('\n')}` }],
    ['many parts: 200 small attachments', { ...base(7, 'Many parts'), text: 'see attached', attachments: Array.from({ length: 200 }, (_, i) => ({ filename: `note-${i}.txt`, content: `note ${i}\n${words(30, i)}`, contentType: 'text/plain' })) }],
    ['large image: 2,000 x 1,500 noise PNG (9 MB)', { ...base(8, 'Large photo'), text: 'photo attached', attachments: [{ filename: 'photo.png', content: png(2_000, 1_500, true), contentType: 'image/png' }] }],
    ['image bomb: 12,000 x 12,000 one-colour PNG', { ...base(9, 'Huge image'), text: 'image attached', attachments: [{ filename: 'huge.png', content: png(12_000, 12_000, false), contentType: 'image/png' }] }],
    ['inline images: 30 x 300 KB inline PNG in HTML', {
      ...base(10, 'Inline images'),
      html: `<p>${Array.from({ length: 30 }, (_, i) => `<img src="cid:img${i}@bench">`).join('')}</p>`,
      attachments: Array.from({ length: 30 }, (_, i) => ({ filename: `inline-${i}.png`, cid: `img${i}@bench`, content: png(320, 320, true), contentType: 'image/png' })),
    }],
  ].map(([label, message]) => ({ label, messageId: message.messageId, build: () => new MailComposer(message).compile().build() }));
}

module.exports = { pathologicalMails };
