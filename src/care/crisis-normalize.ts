import * as OpenCC from 'opencc-js/t2cn'

/**
 * One spelling for what people type many ways, so that the crisis phrases and concepts are written
 * once: lower case, straight quotes, traditional Chinese as simplified (OpenCC, which maps phrases
 * as well as characters), stretched letters ("diiiie") and leetspeak ("su1c1de") undone, common
 * typos, contractions and chat slang spelled out, and words that only colour a sentence ("just",
 * "literally", "fucking", 他妈的) left out, so "i just fucking wanna die" reads "i want to die".
 * Every step is a single pass of a regex with no nested repetition: linear in the text.
 */
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' })

const SPELLINGS: ReadonlyArray<[RegExp, string]> = [
  [/[’‘`´]/g, "'"],
  [/[“”]/g, '"'],
  // Three or more of a letter are one: "soooo", "diiiie", "killlll" (then "kil", below).
  [/([a-z])\1{2,}/g, '$1'],
  [/\b(?:wnat|wnt|whant|watn)\b/g, 'want'],
  [/\b(?:wanna|wana|wannna)\b/g, 'want to'],
  [/\b(?:gonna|gunna|gona)\b/g, 'going to'],
  [/\b(?:tryna)\b/g, 'trying to'],
  [/\b(?:gotta)\b/g, 'got to'],
  [/\b(?:im|i m)\b/g, "i'm"],
  [/\bive\b/g, "i've"],
  [/\bid(?=\s+(?:rather|never|be|love|like|just|do|go))/g, "i'd"],
  [/\bdont\b/g, "don't"],
  [/\bthats\b/g, "that's"],
  [/\bwhats\b/g, "what's"],
  [/\bcant\b/g, "can't"],
  [/\bwont\b/g, "won't"],
  [/\bdoesnt\b/g, "doesn't"],
  [/\bdidnt\b/g, "didn't"],
  [/\bwouldnt\b/g, "wouldn't"],
  [/\b(?:isnt)\b/g, "isn't"],
  [/\b(?:theres)\b/g, "there's"],
  [/\bu\b/g, 'you'],
  [/\bur\b/g, 'your'],
  [/\brn\b/g, 'right now'],
  [/\b(?:tn|tonite|2nite|2night)\b/g, 'tonight'],
  [/\bkil\b/g, 'kill'],
  [/\b(?:my\s+self|myslef|mysefl|mysself|myselv|mself)\b/g, 'myself'],
  [/\bkms\b/g, 'kill myself'],
  [/\bun-?alive\s+myself\b/g, 'kill myself'],
  // Bare, it is said of oneself ("i want to unalive"); with an object it is about someone else.
  [/\bun-?alive\b(?!\s+(?:him|her|them|you|people|someone|everyone))/g, 'kill myself'],
  [/\bun-?alive\b/g, 'kill'],
  [/\bcannot\b/g, "can't"],
  [/\b(?:sewerslide|suicde|sucide|suicdie|suiside|suicied|suicid|suicie|sucicide)\b/g, 'suicide'],
  [/\b(?:sucidal|suicdal|suicidial|suisidal|suicidel)\b/g, 'suicidal'],
  // Colour, not meaning (a following "so bad" or "really" changes nothing the detector weighs).
  [/\b(?:just|really|honestly|literally|actually|seriously|truly|simply|lowkey|low key|highkey|fucking|fuckin|fking|fkn|freaking|frickin|effing|bloody|damn|ngl|tbh|tbf|lol|lmao|fr|so|very|kinda|kind of|sort of|totally|genuinely)\s+/g, ''],
  // Chinese: 他妈的 is an oath, not a person ("活着真他妈累"); 窝 and 偶 are typed for 我.
  [/他妈的?|tmd|特么的?|妈的/g, ''],
  // Pinyin initials: bxhl is 不想活了.
  [/\bbxhl\b/g, '不想活了'],
  [/[窝偶俺](?=[不想要好真是都也就很又还一今])/g, '我'],
  // A homophone typed for 活: 不想或了.
  [/(?<=不想|不要|不想再)或(?=了|下去)/g, '活']
]

const LEET: Record<string, string> = { 0: 'o', 1: 'i', 3: 'e', 4: 'a', 5: 's', 7: 't', 8: 'b', '@': 'a', $: 's' }
// Leetspeak only between letters, so "8th floor", "11:40" and "70kg" stay as they are.
const LEET_CHARACTER = /(?<=[a-z])[0-9@$](?=[a-z])/g

export function normalizeCrisisText (text: string): string {
  let normalized = toSimplified(text.toLowerCase()).replace(LEET_CHARACTER, (c: string) => LEET[c] ?? c)
  for (const [re, by] of SPELLINGS) normalized = normalized.replace(re, by)
  return normalized
}
