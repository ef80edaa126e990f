package dev.autoscaler.http.netty;

import dev.autoscaler.core.http.ApiRequest;
import dev.autoscaler.core.http.ApiResponse;
import dev.autoscaler.core.http.AutoscalerApi;
import dev.autoscaler.http.netty.RequestDeadlines.Phase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's exchanges, after Netty's HTTP codec: collects each request's body within the API's
 * limit, answers it with {@link AutoscalerApi#handle}, and enforces {@link RequestDeadlines}. The answer
 * is computed on the event loop when the API does no I/O (a route is a choice, a reservation and a
 * signature), else on the worker thread pool {@code offload} picks for the path: the connection then
 * reads nothing more until the answer is written, so answers keep the order of the requests, and what
 * a pipelining client sent meanwhile is held and read after.
 * What HTTP prescribes instead of a reset: 408 when the headers or body do not arrive in time, 413 for
 * a body over the limit (the rest is read and dropped, up to {@link #MAX_DISCARD_BYTES}, so that the
 * client gets the answer), 431 for headers over the limit, 414 for a request line over it, 400 for a
 * request the codec cannot parse. Memory per connection is bounded by the header limit plus the body limit.
 */
final class ApiChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ApiChannelHandler.class);
    /** The most of a too-large body read and dropped after the 413, as the JDK server does; then the connection closes. */
    static final long MAX_DISCARD_BYTES = 8L << 20;
    private static final byte[] NO_BYTES = new byte[0];

    private final Function<ApiRequest, ApiResponse> handler;
    /** The pool that answers a path, or null (and null for every path): answer on the event loop. */
    private final Function<String, Executor> offload;
    /** An answer is being computed off the event loop: what arrives meanwhile waits in {@link #held}. */
    private boolean answering;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private final int maxBodyBytes;
    private final RequestDeadlines deadlines;
    private ChannelHandlerContext ctx;

    // the request being read
    private HttpRequest request;
    private boolean keepAlive;
    private byte[] body;
    private int bodyLength;
    private long discarded;

    ApiChannelHandler(Function<ApiRequest, ApiResponse> handler, Function<String, Executor> offload, int maxBodyBytes,
                      long headerNanos, long bodyNanos, long idleNanos) {
        this.handler = handler;
        this.offload = offload;
        this.maxBodyBytes = maxBodyBytes;
        this.deadlines = new RequestDeadlines(headerNanos, bodyNanos, idleNanos, this::expired);
    }

    /** Goes before the codec: tells the deadlines when a request's first bytes arrive. */
    ChannelInboundHandlerAdapter byteWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext context, Object msg) {
                if (msg instanceof ByteBuf buf && buf.isReadable()) {
                    deadlines.bytesArrived();
                }
                context.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        deadlines.start(context);
        context.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        deadlines.stop();
        body = null;
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        context.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (answering) {
            held.addLast(msg); // released once read, after the answer in progress
            return;
        }
        read(msg);
    }

    private void read(Object msg) {
        try {
            if (msg instanceof HttpRequest head) {
                onHeaders(head);
            }
            if (msg instanceof HttpContent content) {
                onContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        log.debug("connection failed", cause);
        context.close();
    }

    private void onHeaders(HttpRequest head) {
        if (deadlines.phase() == Phase.DISCARDING) {
            return; // pipelined behind a refused body: the connection closes once that body is dropped
        }
        DecoderResult result = head.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpHeaderException) {
                refuse(431, "Request headers too large");
            } else if (cause instanceof TooLongHttpLineException) {
                refuse(414, "Request line too long");
            } else {
                refuse(400, "Malformed request");
            }
            return;
        }
        request = head;
        keepAlive = HttpUtil.isKeepAlive(head);
        long declared = HttpUtil.getContentLength(head, -1L);
        int limit = maxBodyBytes;
        bodyLength = 0;
        discarded = 0;
        if (declared > limit) {
            startDiscarding();
            return;
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        // exactly the declared size when known; chunked bodies grow to the limit at most
        body = declared > 0 ? new byte[(int) declared] : NO_BYTES;
        deadlines.enter(Phase.BODY);
    }

    private void onContent(HttpContent content) {
        Phase phase = deadlines.phase();
        ByteBuf data = content.content();
        boolean last = content instanceof LastHttpContent;
        if (phase == Phase.DISCARDING) {
            discarded += data.readableBytes();
            if (last || discarded > MAX_DISCARD_BYTES) {
                ctx.close();
            }
            return;
        }
        if (phase != Phase.BODY || request == null) {
            return; // after a refusal: the connection is closing
        }
        if (content.decoderResult().isFailure()) {
            refuse(400, "Malformed request body");
            return;
        }
        int n = data.readableBytes();
        if (n > 0) {
            int limit = maxBodyBytes;
            if ((long) bodyLength + n > limit) {
                startDiscarding();
                discarded = n;
                if (last) {
                    ctx.close();
                }
                return;
            }
            if (bodyLength + n > body.length) {
                body = java.util.Arrays.copyOf(body, Math.min(limit, Math.max(Math.max(1024, body.length * 2), bodyLength + n)));
            }
            data.readBytes(body, bodyLength, n);
            bodyLength += n;
        }
        if (last) {
            answer();
        }
    }

    private void answer() {
        deadlines.enter(Phase.ANSWERING);
        HttpRequest head = request;
        byte[] bytes = bodyLength == body.length ? body : java.util.Arrays.copyOf(body, bodyLength);
        request = null;
        body = null;
        boolean isHead = HttpMethod.HEAD.equals(head.method());
        boolean keep = keepAlive;
        ApiRequest apiRequest;
        try {
            String uri = originForm(head.uri());
            QueryStringDecoder decoder = new QueryStringDecoder(uri);
            apiRequest = new ApiRequest(head.method().name(), decoder.path(), decoder.rawQuery(), headers(head), bytes);
        } catch (IllegalArgumentException badUri) {
            answered(ApiResponse.json(400, AutoscalerApi.errorBody("Malformed request target")), isHead, keep);
            return;
        }
        Executor pool = offload == null ? null : offload.apply(apiRequest.path());
        if (pool == null) {
            answered(handler.apply(apiRequest), isHead, keep);
            return;
        }
        answering = true;
        ctx.channel().config().setAutoRead(false);
        try {
            pool.execute(() -> {
                ApiResponse response;
                try {
                    response = handler.apply(apiRequest);
                } catch (RuntimeException | Error e) {
                    // answered whatever happens: the connection reads nothing more until it is
                    log.error("{} {}: unexpected failure", apiRequest.method(), apiRequest.path(), e);
                    response = ApiResponse.json(500, AutoscalerApi.errorBody("Internal error"));
                }
                ApiResponse out = response;
                ctx.executor().execute(() -> resumeAfter(out, isHead, keep));
            });
        } catch (RejectedExecutionException closing) {
            resumeAfter(ApiResponse.json(503, AutoscalerApi.errorBody("Server shutting down")), isHead, keep);
        }
    }

    /** On the event loop: writes an answer computed off it, then reads what was held meanwhile. */
    private void resumeAfter(ApiResponse response, boolean isHead, boolean keep) {
        answering = false;
        if (!ctx.channel().isActive()) {
            return; // closed meanwhile: channelInactive released what was held
        }
        answered(response, isHead, keep);
        if (!keep) {
            held.forEach(ReferenceCountUtil::release); // the connection closes with this answer
            held.clear();
            return;
        }
        while (!answering && !held.isEmpty()) {
            read(held.pollFirst());
        }
        if (!answering) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void answered(ApiResponse response, boolean isHead, boolean keep) {
        write(response, isHead, keep ? Close.NO : Close.NOW);
        if (keep) {
            deadlines.enter(Phase.IDLE);
        }
    }

    /** A request target in absolute form ({@code http://host/path}) as its path and query. */
    private static String originForm(String uri) {
        if (uri.startsWith("/")) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            throw new IllegalArgumentException("not a path");
        }
        int slash = uri.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : uri.substring(slash);
    }

    private static Map<String, List<String>> headers(HttpRequest head) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> h : head.headers()) {
            out.computeIfAbsent(h.getKey(), k -> new ArrayList<>(1)).add(h.getValue());
        }
        return out;
    }

    /** A 413 for the body being sent; the rest of it is read and dropped (see {@link #MAX_DISCARD_BYTES}), then the connection closes. */
    private void startDiscarding() {
        body = null;
        request = null;
        deadlines.enter(Phase.DISCARDING);
        write(ApiResponse.json(413, AutoscalerApi.errorBody("Request body too large (limit " + maxBodyBytes + " bytes)")),
                false, Close.AFTER_BODY);
    }

    /** Answers {@code status} and closes: the request cannot be read further. */
    private void refuse(int status, String message) {
        body = null;
        request = null;
        deadlines.enter(Phase.ANSWERING);
        write(ApiResponse.json(status, AutoscalerApi.errorBody(message)), false, Close.NOW);
    }

    private void expired(Phase phase) {
        switch (phase) {
            case HEADERS, BODY -> refuse(408, phase == Phase.HEADERS
                    ? "Request headers not received in time" : "Request body not received in time");
            default -> ctx.close(); // idle, or still dripping a refused body
        }
    }

    /** Whether a response ends its connection. */
    private enum Close {
        /** keep-alive */
        NO,
        /** {@code Connection: close}, closed once written */
        NOW,
        /** {@code Connection: close}, closed once the client has sent the rest of its body (a 413) */
        AFTER_BODY
    }

    private void write(ApiResponse response, boolean isHead, Close close) {
        byte[] bytes = response.body();
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()),
                isHead || bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            out.headers().set(h.getKey(), h.getValue());
        }
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (close != Close.NO) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (close == Close.NOW) {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(out, ctx.voidPromise());
        }
    }
}
