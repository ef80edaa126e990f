package dev.autoscaler.http.netty;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one connection: a request's headers must arrive within the header timeout of its
 * first byte, its body within the body timeout of its headers, and a connection with no request in
 * progress is closed after the idle timeout. Drip-feeding bytes does not extend any of them (they are
 * deadlines, not read-inactivity timeouts), so a slow client holds a connection for a bounded time,
 * and on this server it holds no thread meanwhile.
 *
 * <p>One timer per connection, moved lazily: a phase change only writes the new deadline, and the
 * timer, when it fires early, re-arms itself for the deadline it finds; only a deadline earlier than
 * the timer (a request starting after the timer was re-armed for the idle timeout) reschedules it, so
 * a busy keep-alive connection costs about one timer operation per header timeout, not three per request. Runs on the channel's event
 * loop only, so nothing here is shared between threads.
 */
final class RequestDeadlines {
    /** Where a connection is in its request/response cycle. */
    enum Phase {
        /** between requests (keep-alive): the idle timeout runs */
        IDLE,
        /** a request's first bytes came, its headers are not complete: the header timeout runs */
        HEADERS,
        /** the headers came, the body is not complete: the body timeout runs */
        BODY,
        /** an answer went out before the body was read (413): the rest is read and dropped, within the body timeout */
        DISCARDING,
        /** the request is complete and being answered: no deadline */
        ANSWERING
    }

    /** What to do when a deadline passes. */
    interface Expiry {
        void expired(Phase phase);
    }

    private final long headerNanos;
    private final long bodyNanos;
    private final long idleNanos;
    private final Expiry expiry;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long timerAt;
    private Phase phase = Phase.IDLE;
    private long deadline;

    RequestDeadlines(long headerNanos, long bodyNanos, long idleNanos, Expiry expiry) {
        this.headerNanos = headerNanos;
        this.bodyNanos = bodyNanos;
        this.idleNanos = idleNanos;
        this.expiry = expiry;
    }

    Phase phase() {
        return phase;
    }

    /** The connection is open: the idle timeout starts. */
    void start(ChannelHandlerContext context) {
        this.ctx = context;
        enter(Phase.IDLE);
    }

    /** Bytes came in: if no request was in progress, one starts now and its headers are due. */
    void bytesArrived() {
        if (phase == Phase.IDLE) {
            enter(Phase.HEADERS);
        }
    }

    void enter(Phase next) {
        phase = next;
        long now = System.nanoTime();
        deadline = switch (next) {
            case IDLE -> now + idleNanos;
            case HEADERS -> now + headerNanos;
            case BODY, DISCARDING -> now + bodyNanos;
            case ANSWERING -> Long.MAX_VALUE;
        };
        if (ctx == null || next == Phase.ANSWERING) {
            return;
        }
        if (timer != null && timerAt - deadline > 0) {
            timer.cancel(false); // due later than the new deadline: bring it forward (rare: see the class comment)
            timer = null;
        }
        if (timer == null) {
            schedule(now, deadline - now);
        }
    }

    /** Stops the timer (the connection closed). */
    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx = null;
    }

    private void schedule(long now, long delayNanos) {
        long delay = Math.max(delayNanos, 0);
        timerAt = now + delay;
        timer = ctx.executor().schedule(this::fire, delay, TimeUnit.NANOSECONDS);
    }

    private void fire() {
        timer = null;
        if (ctx == null || phase == Phase.ANSWERING) {
            return; // re-armed by the next phase change
        }
        long now = System.nanoTime();
        long left = deadline - now;
        if (left > 0) {
            schedule(now, left);
            return;
        }
        expiry.expired(phase);
    }
}
