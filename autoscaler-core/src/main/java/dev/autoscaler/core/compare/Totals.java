package dev.autoscaler.core.compare;

/**
 * The sums {@link HardwareComparison} keeps, for one worker, for the destroyed workers of one
 * endpoint, group and GPU type, or for one report entry: the one place they are added up. Not
 * thread safe.
 */
final class Totals {
    long workers;
    double servedWork;
    double costUsd;
    double billedSeconds;
    double readySeconds;
    double readyPerfSeconds;
    long errors;

    /** One worker's totals, none accrued yet. */
    static Totals ofOneWorker() {
        Totals t = new Totals();
        t.workers = 1;
        return t;
    }

    void add(Totals other) {
        workers += other.workers;
        servedWork += other.servedWork;
        costUsd += other.costUsd;
        billedSeconds += other.billedSeconds;
        readySeconds += other.readySeconds;
        readyPerfSeconds += other.readyPerfSeconds;
        errors += other.errors;
    }
}
