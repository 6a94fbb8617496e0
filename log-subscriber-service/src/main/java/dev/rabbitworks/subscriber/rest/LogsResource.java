package dev.rabbitworks.subscriber.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.rabbitworks.subscriber.logs.LiveLogs;
import dev.rabbitworks.subscriber.logs.ReceivedLog;
import dev.rabbitworks.subscriber.logs.RecentLogs;
import io.smallrye.mutiny.Multi;

/** What this instance received: the most recent messages, and a live stream of new ones. */
@Path("/logs")
public class LogsResource {

    private final RecentLogs recent;
    private final LiveLogs live;

    LogsResource(RecentLogs recent, LiveLogs live) {
        this.recent = recent;
        this.live = live;
    }

    /** The most recent messages first; {@code limit} defaults to 20 and may go up to {@code subscriber.recent}. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<ReceivedLog> latest(@RestQuery String limit) {
        return recent.latest(Limit.parse(limit, recent.capacity()));
    }

    /** Server-sent events, one JSON object per message received from now on. */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<ReceivedLog> stream() {
        return live.stream();
    }

    @ServerExceptionMapper
    public Response badLimit(BadLimitException e) {
        return Response.status(Response.Status.BAD_REQUEST)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.badRequest(e.getMessage()))
                .build();
    }
}
