/**
 * kiban's one error model: the outcomes that end a command early, each with its exit code. The bottom
 * layer: every package may import it, it imports nothing of kiban.
 */
package dev.kiban.failure;
