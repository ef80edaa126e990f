/**
 * Internals of the ticket formats (Python-compatible JSON and float printing, PEM, key files, the
 * replay memory, the ticket payload). Not an API: may change in any release.
 */
package dev.autoscaler.core.ticket.internal;
