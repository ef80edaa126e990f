/**
 * Bounded in-memory history of a running engine, fed by its events: the decisions of each endpoint
 * with their reasons ({@link dev.autoscaler.core.history.DecisionHistory}, served at
 * {@code GET /decisions/}), and a timeline of load, capacity, workers by state and queue time over
 * the last hour ({@link dev.autoscaler.core.history.EndpointTimeline}, charted by the dashboard).
 */
package dev.autoscaler.core.history;
