/**
 * The edge family: adversarial payloads through the write path (null chaos, 1 MB strings, deep nesting, unicode,
 * NUL characters, injection strings, {@code "0"} versus {@code 0}, wrong-type versions), each in a rolled-back
 * transaction on a probe document. Stored exactly per the merge contract (the delta after a save is the contract's
 * merge of the delta before and the patch), or refused with a clean error that leaks no
 * internals.
 */
package dev.deltawatch.worker.check.edge;
