export { exportMessages, payloadText, CSV_HEADER, type ExportFormat, type ExportRequest } from './export';
export { MessageStore, MAX_BATCH, type IncomingMessage, type StoreOptions } from './message-store';
export type { WriterMode } from './writer';
export { describeOpenError, describeStoreError, sqliteCode } from './errors';
export { isFilter, selectTopicIds } from './selection';
export { databaseFiles, removeDatabaseFiles } from './files';
