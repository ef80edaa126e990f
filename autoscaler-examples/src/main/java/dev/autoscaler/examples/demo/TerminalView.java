package dev.autoscaler.examples.demo;

import dev.autoscaler.WorkerState;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's live view: a few lines redrawn in place each second on a terminal (ANSI cursor
 * movement), or one line every few seconds when the output is not a terminal (a log file, CI).
 */
final class TerminalView {
    private static final int LINES = 4;
    private static final int PLAIN_EVERY = 5;

    private final PrintStream out;
    private final boolean ansi;
    private boolean drawn;
    private int ticks;

    TerminalView(PrintStream out, boolean ansi) {
        this.out = out;
        this.ansi = ansi;
    }

    /**
     * @param replayStart when the replay started, on the recorder's time line (the warm-up before it
     *                    is not counted against the replay's length)
     */
    void show(DemoRecorder.Sample s, DemoRecorder.Decision last, int sent, double replayStart,
              double totalSeconds) {
        Map<WorkerState, Integer> w = s.workers();
        String workers = String.format(Locale.ROOT, "ready %d  loading %d  starting %d  stopped %d  error %d  other %d",
                n(w, WorkerState.READY), n(w, WorkerState.CREATING) + n(w, WorkerState.LOADING),
                n(w, WorkerState.STARTING) + n(w, WorkerState.REBOOTING), n(w, WorkerState.STOPPED)
                        + n(w, WorkerState.STOPPING), n(w, WorkerState.ERROR),
                n(w, WorkerState.DESTROYING));
        String head = String.format(Locale.ROOT, "t %5.0f/%.0f s  requests %d  load %8.0f tok/s  capacity %8.0f tok/s"
                + "  queue p95 %.2f s", s.atSeconds() - replayStart, totalSeconds, sent, s.offeredLoad(), s.capacity(),
                s.queueP95());
        String decision = last == null ? "no decision yet"
                : String.format(Locale.ROOT, "t %.0f s: %s", last.atSeconds() - replayStart, last.targets());
        String reason = last == null ? "" : "  why: " + last.reason();
        if (ansi) {
            if (drawn) {
                out.print("\033[" + LINES + "A");
            }
            for (String line : new String[] {head, "workers: " + workers, "decision " + decision, reason}) {
                out.print("\033[2K" + clip(line) + "\n");
            }
            drawn = true;
            out.flush();
        } else if (ticks++ % PLAIN_EVERY == 0) {
            out.println(head + " | " + workers + " | " + decision);
        }
    }

    private static int n(Map<WorkerState, Integer> w, WorkerState s) {
        return w.getOrDefault(s, 0);
    }

    private static String clip(String line) {
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
