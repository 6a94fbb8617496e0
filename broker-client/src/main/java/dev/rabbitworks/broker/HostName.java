package dev.rabbitworks.broker;

import java.io.IOException;
import java.net.InetAddress;

/** The name of the machine or pod: {@code HOSTNAME} (set by Kubernetes to the pod's name), else what DNS says. */
public final class HostName {

    private HostName() {
    }

    public static String current() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
