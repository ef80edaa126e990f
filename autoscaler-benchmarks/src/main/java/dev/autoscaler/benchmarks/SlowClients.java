package dev.autoscaler.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The slow clients of {@code scripts/bench-http.sh}: keeps {@code count} connections open to a server
 * on loopback, each dripping one byte per {@code drip-ms}: half drip a request's headers, half send
 * complete headers with {@code Content-Length: 100000} and drip the body (a lying length, too). A
 * connection the server closes or answers (a 408 once its deadline passes) is counted and opened again,
 * so {@code count} stay open (at most a tenth of them are opened per drip, so they ramp up over ten
 * drips and their deadlines come spread out). One thread, non-blocking sockets. Connections come from source addresses
 * 127.0.0.2, 127.0.0.3, ... ({@code per-address} each), so that a per-address connection cap applies to
 * them and not to the normal client on 127.0.0.1. Runs for {@code seconds}, then prints what happened.
 *
 * <p>Arguments: {@code port count seconds [drip-ms=1000] [per-address=200]}. Loopback only.
 */
public final class SlowClients {
    private static final byte[] HEADERS = ("POST /route/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "X-Slow: " + "s".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY_HEAD = ("POST /route/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    /** One slow connection: what it drips next. */
    private static final class Slow {
        final SocketChannel channel;
        final boolean body;
        int sent;

        Slow(SocketChannel channel, boolean body) {
            this.channel = channel;
            this.body = body;
        }
    }

    private SlowClients() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        long dripMillis = args.length > 3 ? Long.parseLong(args[3]) : 1000;
        int perAddress = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);

        Selector selector = Selector.open();
        List<Slow> open = new ArrayList<>();
        long answered = 0;
        long refused = 0;
        long reopened = 0;
        long minOpen = Long.MAX_VALUE;
        long sumOpen = 0;
        long samples = 0;
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int next = 0;
        while (System.nanoTime() < end) {
            // at most a tenth of them per drip: the first ones are staggered over ten drips, so that their
            // deadlines (and the server's 408s and our reconnections) come spread out, not all at once
            int opening = Math.max(1, count / 10);
            while (open.size() < count && opening-- > 0) {
                Slow s = connect(server, next++, perAddress, selector);
                if (s == null) {
                    refused++;
                    break;
                }
                open.add(s);
                reopened++;
            }
            // drip one byte on every connection
            Iterator<Slow> it = open.iterator();
            while (it.hasNext()) {
                Slow s = it.next();
                try {
                    byte[] script = s.body ? BODY_HEAD : HEADERS;
                    byte b = s.body && s.sent >= script.length ? (byte) 'x' : script[Math.min(s.sent, script.length - 2)];
                    s.channel.write(ByteBuffer.wrap(new byte[] {b}));
                    s.sent++;
                } catch (IOException closed) {
                    s.channel.close();
                    it.remove();
                    refused++;
                }
            }
            // what the server said: an answer (408, 429) or a close
            selector.selectNow();
            for (SelectionKey key : selector.selectedKeys()) {
                Slow s = (Slow) key.attachment();
                sink.clear();
                int n;
                try {
                    n = s.channel.read(sink);
                } catch (IOException reset) {
                    n = -1;
                }
                if (n != 0) {
                    answered++;
                    key.cancel();
                    s.channel.close();
                    open.remove(s);
                }
            }
            selector.selectedKeys().clear();
            minOpen = Math.min(minOpen, open.size());
            sumOpen += open.size();
            samples++;
            Thread.sleep(dripMillis);
        }
        for (Slow s : open) {
            s.channel.close();
        }
        System.out.printf("slow clients: %d wanted, %.0f open on average (min %d), %d answered or closed by the server,"
                + " %d connections made, %d failed to connect%n", count, (double) sumOpen / Math.max(1, samples),
                minOpen == Long.MAX_VALUE ? 0 : minOpen, answered, reopened, refused);
    }

    private static Slow connect(InetSocketAddress server, int n, int perAddress, Selector selector) {
        try {
            SocketChannel channel = SocketChannel.open();
            byte last = (byte) (2 + (n / perAddress) % 250);
            channel.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, last}), 0));
            channel.connect(server);
            channel.configureBlocking(false);
            Slow s = new Slow(channel, n % 2 == 1);
            if (s.body) { // complete headers at once, then the body a byte at a time
                channel.write(ByteBuffer.wrap(BODY_HEAD));
                s.sent = BODY_HEAD.length;
            }
            channel.register(selector, SelectionKey.OP_READ, s);
            return s;
        } catch (IOException e) {
            return null;
        }
    }
}
