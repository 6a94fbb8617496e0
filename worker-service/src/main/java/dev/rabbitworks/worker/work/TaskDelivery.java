package dev.rabbitworks.worker.work;

/**
 * A task as it came off the queue, before its body is understood.
 *
 * @param taskId the message id, or null when the publisher set none (pika)
 * @param attempt 1 for the first delivery, then one more per redelivery
 * @param body the raw body
 */
public record TaskDelivery(String taskId, int attempt, byte[] body) {
}
