/**
 * The renderer benchmark's topic spaces.
 *
 * `big`: 100,000 topics in three levels where every level carries a message of its own
 * (100 areas × 27 lines × 36 sensors: 100 + 2,700 + 97,200), so "expand all" shows exactly one
 * row per topic. `live`: 10,000 topics (100 groups × 100) that the frame-time phase keeps updating.
 */
export const BIG_TOPICS = 100_000;
const AREAS = 100;
const LINES = 27;
const SENSORS = 36;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function bigTopic(index: number): string {
  const area = Math.floor(index / (1 + LINES * (1 + SENSORS)));
  const inArea = index % (1 + LINES * (1 + SENSORS));
  const areaTopic = `area${pad(area, 2)}`;
  if (inArea === 0) return areaTopic;
  const line = Math.floor((inArea - 1) / (1 + SENSORS));
  const inLine = (inArea - 1) % (1 + SENSORS);
  const lineTopic = `${areaTopic}/line${pad(line, 2)}`;
  return inLine === 0 ? lineTopic : `${lineTopic}/s${pad(inLine - 1, 2)}`;
}
if (AREAS * (1 + LINES * (1 + SENSORS)) !== BIG_TOPICS) throw new Error('The big tree does not add up to 100,000 topics.');

export const LIVE_TOPICS = 10_000;
export const LIVE_ROOT = 'zlive';
export const liveTopic = (index: number): string => `${LIVE_ROOT}/g${pad(Math.floor(index / 100), 2)}/t${pad(index % 100, 2)}`;
