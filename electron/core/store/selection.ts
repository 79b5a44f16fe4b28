/** Which stored topics a request means: one topic, a subtree, or an MQTT filter. */
import { topicMatches } from '../../common/topic';

/** True when `topic` is an MQTT filter rather than a name: names cannot contain + or #. */
export const isFilter = (topic: string): boolean => topic.includes('+') || topic.includes('#');

/**
 * Topic ids of `topic` alone, of its subtree (the topic and everything below it), or matching it
 * when it is a filter such as `plant/+/temp` or `#`. Undefined means every topic.
 */
export function selectTopicIds(topics: Iterable<[string, number]>, topic: string, subtree: boolean): number[] | undefined {
  const ids: number[] = [];
  let all = true;
  if (isFilter(topic)) {
    for (const [name, id] of topics) {
      if (topicMatches(topic, name)) ids.push(id);
      else all = false;
    }
    return all ? undefined : ids;
  }
  const prefix = `${topic}/`;
  for (const [name, id] of topics) {
    if (name === topic || (subtree && name.startsWith(prefix))) ids.push(id);
  }
  return ids;
}
