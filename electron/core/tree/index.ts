export { TreeNode } from './node';
export { makePreview, PREVIEW_CHARS, PREVIEW_SOURCE_BYTES, type Preview } from './preview';
export { searchTree, type SearchQuery } from './search';
export { TopicTree, type RestoredTopic } from './topic-tree';
