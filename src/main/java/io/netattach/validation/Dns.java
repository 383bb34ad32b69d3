package io.netattach.validation;

import io.netattach.cni.Findings;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.conf.DnsConf;

/** Shape of a CNI {@code dns} object, read as the plugins read it ({@link DnsConf}). */
final class Dns {

    private Dns() {
    }

    static void check(JsonObject parent, String path, Findings out) {
        DnsConf.read(parent, path, out);
    }
}
