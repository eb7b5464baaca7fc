// How the TypeScript interpretReply reads the C# fix-7 table (ReplyAttackTests.StillBroken): the baseline the fix is measured against.
//   npm run build && node scripts/replies-ts-baseline.js   (or pass the compiled lifecycle.js as the first argument)
const { interpretReply } = require(process.argv[2] ?? require('node:path').resolve(__dirname, '../dist/src/domain/lifecycle.js'));
const src = require('fs').readFileSync('tests/Autotier.UnitTests/Domain/Replies/ReplyAttackTests.cs', 'utf8');
const konst = (name) => JSON.parse(src.match(new RegExp(`const string ${name} = ("(?:[^"\\\\]|\\\\.)*")`))[1]);
const Quoted = konst('Quoted'), Signature = konst('Signature');
const section = src.slice(src.indexOf('StillBroken =>'), src.indexOf('[MemberData(nameof(StillBroken))]'));
const rows = [...section.matchAll(/\{ ("(?:[^"\\]|\\.)*")((?: \+ \w+)*), ReplyMeaning\.No \}/g)].map(([, lit, tail]) =>
  JSON.parse(lit) + (tail.includes('Signature') && tail.indexOf('Signature') < (tail.indexOf('Quoted') + 1 || 99) ? Signature : '') + (tail.includes('Quoted') ? Quoted : '') + (tail.includes('Signature') && tail.indexOf('Quoted') >= 0 && tail.indexOf('Signature') > tail.indexOf('Quoted') ? Signature : ''));
const counts = {};
for (const r of rows) { const m = interpretReply(r); counts[m] = (counts[m] ?? 0) + 1; if (m === 'yes') console.log('TS yes:', JSON.stringify(r.split('\n')[0])); }
console.log(rows.length, 'rows', counts);
