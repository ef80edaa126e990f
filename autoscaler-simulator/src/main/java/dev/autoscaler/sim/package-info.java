/**
 * The deterministic simulator: the real engine ({@link dev.autoscaler.core.Autoscaler}) and its
 * policies against a simulated GPU market, on one thread and a {@link dev.autoscaler.ManualClock}.
 *
 * <ul>
 *   <li>{@link dev.autoscaler.sim.Simulation} runs one {@link dev.autoscaler.sim.SimulationConfig}
 *       (endpoint, {@link dev.autoscaler.sim.WorldModel}, {@link dev.autoscaler.sim.Workload},
 *       seed) and returns a {@link dev.autoscaler.sim.SimulationReport} (DESIGN.md's figures,
 *       as a table or one JSON object). The same seed gives the same bytes.</li>
 *   <li>{@link dev.autoscaler.sim.SimulatedProvider} (factory name {@code simulated}) rents
 *       instances whose workers boot, fail, serve by processor sharing, report through
 *       {@code Autoscaler.report} with their {@code MASTER_TOKEN}, and bill by state.</li>
 *   <li>Workloads: {@link dev.autoscaler.sim.TraceReader} for the Azure LLM trace CSV format
 *       (parsed by {@link dev.autoscaler.sim.TraceCsv}, which the demo uses too),
 *       {@link dev.autoscaler.sim.Scenario} for the {@code step}, {@code spike},
 *       {@code diurnal} and {@code sparse} generators; {@link dev.autoscaler.sim.Workload#timeScaled}
 *       compresses or stretches time.</li>
 *   <li>{@link dev.autoscaler.sim.SimDispatcher} is the one seam to routing: the simulation's
 *       clients call it as they would call {@code /route/}.</li>
 * </ul>
 *
 * <p>Clients: a request routes on arrival; when no worker takes it, it re-polls every second and
 * is dropped after 120 s of waiting. A request whose worker goes away (stopped, rebooted, errored,
 * destroyed) while holding it routes again (counted in {@code retried}); its queue time runs from
 * its arrival to the start of the service that completed.
 */
package dev.autoscaler.sim;
