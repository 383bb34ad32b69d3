package io.netattach.cni.conf;

import io.netattach.cni.Fields;
import io.netattach.cni.Findings;
import io.netattach.cni.JsonValue.JsonObject;

/** The spec's standard fields every plugin reads ({@link io.netattach.cni.NetConf}), checked as findings. */
final class StandardFields {

    private StandardFields() {
    }

    static void check(JsonObject conf, Findings out) {
        Fields.string(conf, "cniVersion", "", out);
        Fields.string(conf, "name", "", out);
        Fields.string(conf, "type", "", out);
        DnsConf.read(conf, "", out);
        Fields.object(conf, "capabilities", "", out);
        Fields.object(conf, "args", "", out).ifPresent(args -> Fields.object(args, "cni", "/args", out));
    }
}
