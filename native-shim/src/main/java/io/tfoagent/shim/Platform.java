package io.tfoagent.shim;

import java.util.Locale;

/** Whether this process runs where the shim's constants and struct layouts are right. */
public final class Platform {
    private Platform() {}

    /** Null when supported, else why not (one short phrase for the startup line). */
    public static String unsupportedReason() {
        return unsupportedReason(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    static String unsupportedReason(String osName, String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not Linux (" + osName + ")";
        }
        switch (osArch) {
            case "amd64":
            case "x86_64":
            case "aarch64":
                return null;
            default:
                return "architecture " + osArch + " is not supported (x86_64, aarch64 are)";
        }
    }
}
