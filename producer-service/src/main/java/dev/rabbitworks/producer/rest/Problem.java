package dev.rabbitworks.producer.rest;

/** An RFC 9457 problem body, the answer to every 4xx and 5xx of this service. */
public record Problem(String type, String title, int status, String detail) {
}
