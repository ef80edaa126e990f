package dev.autoscaler.core.engine.internal;

import dev.autoscaler.WorkerIntent;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import java.util.ArrayList;
import java.util.List;

/**
 * One group's workers during a {@link Reconciler} pass, by the role the reconciler gives each. The
 * lists are the pass's working copies: a phase that acts on a worker moves it to the role it now has
 * (a loading worker re-marked for the pool joins {@link #loadingForPool}, a busy one that starts to
 * drain joins {@link #drainingToStop}, one given back or resumed leaves its list), so that the later
 * phases count it where it belongs. The records themselves are as read at the start of the tick.
 */
final class GroupWorkers {
    /** Active states, intent active: serving, or on their way to serve. */
    final List<WorkerRecord> servingOrLoading = new ArrayList<>();
    /** Active states, intent cold: loading for the cold pool, stopped once ready. */
    final List<WorkerRecord> loadingForPool = new ArrayList<>();
    /** Stopped, on the current template revision (an outdated one is the rolling update's to destroy). */
    final List<WorkerRecord> stopped = new ArrayList<>();
    /** Draining to stop: out of service, on their way to the pool. */
    final List<WorkerRecord> drainingToStop = new ArrayList<>();
    private int stopping;
    private int loaded;

    private GroupWorkers() {
    }

    /**
     * Sorts a group's members by role.
     *
     * @param members the group's workers the reconciler acts on: none destroying, and of the
     *                draining ones only those draining to stop
     */
    static GroupWorkers byRole(List<WorkerRecord> members, String revision) {
        GroupWorkers workers = new GroupWorkers();
        for (WorkerRecord w : members) {
            if (w.state().isLoaded() || w.state() == WorkerState.DRAINING) {
                workers.loaded++; // a worker draining to stop has its model and is on its way to the pool
            }
            if (w.state() == WorkerState.DRAINING) {
                workers.drainingToStop.add(w);
            } else if (w.state() == WorkerState.STOPPED) {
                if (!RollingUpdate.isOutdated(w, revision)) {
                    workers.stopped.add(w);
                }
            } else if (w.state() == WorkerState.STOPPING) {
                workers.stopping++;
            } else if (w.state().isActive()) {
                (w.intent() == WorkerIntent.COLD ? workers.loadingForPool : workers.servingOrLoading).add(w);
            }
        }
        return workers;
    }

    /** A worker was asked to stop this pass: it counts toward the cold pool from now on. */
    void stopAsked() {
        stopping++;
    }

    /** Workers with a model on their disk: ready, stopping, stopped or draining to stop. */
    int loaded() {
        return loaded;
    }

    /** A loaded worker was destroyed this pass. */
    void loadedDestroyed() {
        loaded--;
    }

    /**
     * The cold pool as it will be: stopped and stopping workers, workers draining to stop, and pool
     * workers still loading (a ready one is being stopped, and is counted as stopping).
     */
    int cold() {
        return stopped.size() + stopping + drainingToStop.size()
                + (int) loadingForPool.stream().filter(w -> w.state() != WorkerState.READY).count();
    }
}
