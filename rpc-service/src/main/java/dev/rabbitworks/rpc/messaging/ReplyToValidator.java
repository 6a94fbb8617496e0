package dev.rabbitworks.rpc.messaging;

import java.util.Optional;

/**
 * Decides whether a request's reply_to is an address a reply may be published to: a queue name (an AMQP
 * short string without control characters), a server-named queue ({@code amq.gen-...}, what the
 * tutorials' clients use) or a direct reply-to name as the broker hands them out ({@link DirectReplyToName}).
 * <p>
 * Everything else is refused before publishing, because a reply to a name the broker cannot decode
 * makes it close the whole reply connection (541 INTERNAL_ERROR on RabbitMQ 3.10 to 4.0), taking the
 * replies of other callers with it. Other names starting with {@code amq.} are reserved by the broker:
 * no client can declare such a queue, so no caller waits on one.
 */
final class ReplyToValidator {

    private static final String RESERVED_PREFIX = "amq.";
    /** rabbit_guid:binary(gen_secure(), "amq.gen"): the name the broker gives a queue declared without one. */
    private static final String SERVER_NAMED_PREFIX = "amq.gen-";

    private ReplyToValidator() {
    }

    /** Why no reply may be published to {@code replyTo}; empty when one may. */
    static Optional<String> problem(String replyTo) {
        if (replyTo.isEmpty()) {
            return Optional.of("reply_to is empty");
        }
        if (!ShortString.fits(replyTo)) {
            return Optional.of("reply_to is longer than " + ShortString.MAX_BYTES + " bytes");
        }
        if (replyTo.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("reply_to contains control characters");
        }
        if (replyTo.startsWith(DirectReplyToName.PREFIX)) {
            return DirectReplyToName.problem(replyTo);
        }
        if (replyTo.startsWith(RESERVED_PREFIX) && !replyTo.startsWith(SERVER_NAMED_PREFIX)) {
            return Optional.of("reply_to names a queue reserved by the broker (amq.*)");
        }
        return Optional.empty();
    }
}
