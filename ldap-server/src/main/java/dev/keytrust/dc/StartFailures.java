package dev.keytrust.dc;

import java.security.SecureRandom;

/** How a DC explains what stopped it from starting (in words, with what to do), and its generated passwords. */
final class StartFailures {
    private StartFailures() {
    }

    /** A generated password of 23 characters ({@code Kt-} and 20 unambiguous letters and digits). */
    static String generatePassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder("Kt-");
        for (int i = 0; i < 20; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** What to do about a port that could not be bound: a privileged one needs rights, another may be in use. */
    static String portAdvice(DomainControllerConfig config, Throwable e) {
        boolean denied = false;
        for (Throwable t = e; t != null && !denied; t = t.getCause() == t ? null : t.getCause()) {
            denied = t instanceof java.net.BindException && String.valueOf(t.getMessage()).contains("Permission denied");
        }
        boolean privileged = config.port() > 0 && config.port() < 1024
                || config.ldapsPort().filter(p -> p > 0 && p < 1024).isPresent() || config.standardPorts();
        if (denied && privileged) {
            return "; ports below 1024 (AD's 389, 636, 88) need root or CAP_NET_BIND_SERVICE: run as root, or grant "
                    + "it once with 'sudo setcap cap_net_bind_service=+ep " + System.getProperty("java.home")
                    + "/bin/java', or give other ports (--port, --ldaps-port)";
        }
        return config.port() != 0 ? "; is the port in use? Use port 0 to pick a free one" : "";
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof java.nio.file.FileSystemException f) {
            return describe(f);
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + words(t) + ")";
    }

    /** A file-system failure in words: which path, and why (the JDK's message is often the path alone). */
    static String describe(java.nio.file.FileSystemException f) {
        String why = f instanceof java.nio.file.FileAlreadyExistsException ? "it exists and is not a folder"
                : f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : f instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                : f.getReason() != null ? f.getReason() : "it cannot be used";
        return f.getFile() + " cannot be used: " + why;
    }

    /** A throwable's message, or its kind in words when it has none (never a bare class name or null). */
    private static String words(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT);
    }
}
