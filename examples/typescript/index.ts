// A SIP trunk and a Genesys Audio Connector config through the native phonecfg provider. Agents are named,
// never given by UUID: getAgent looks them up in the stack's own tenant, so this program deploys to every tenant.
import * as pulumi from "@pulumi/pulumi";
import * as phonecfg from "pulumi-phonecfg";

const config = new pulumi.Config();
const agentEnvironment = config.require("agentEnvironment");
const billingDescription = config.require("billingDescription");

// Agents by name (one agents listing per name; the provider caches it).
const customerCare = phonecfg.getAgentOutput({ name: "customer-care", environment: agentEnvironment });
const billing = phonecfg.getAgentOutput({ name: "billing", environment: agentEnvironment });

const supportTrunk = new phonecfg.PhoneConfig("supportTrunk", {
    name: "Support SIP trunk",
    description: "Inbound support line from the carrier",
    security: {
        secureTrunking: true,
        authentication: true,
        username: "support-trunk",
        password: config.requireSecret("sipPassword"),
    },
    customInviteHeaders: [{ name: "X-Customer-Id" }],
    errorHandling: {
        fallbackSipUri: config.require("fallbackSipUri"),
        transferFailure: {
            replyMessage: "Sorry, nobody can take your call right now.",
            disconnectCall: true,
        },
    },
    phoneNumbers: [
        {
            phoneNumber: config.require("supportNumber"),
            description: "Support hotline",
            agentId: customerCare.agentId,
            environmentId: customerCare.environmentId,
        },
        {
            phoneNumber: config.require("billingNumber"),
            description: billingDescription,
            agentId: billing.agentId,
            environmentId: billing.environmentId,
        },
    ],
});

const genesysAudioConnector = new phonecfg.PhoneConfig("genesysAudioConnector", {
    name: "Genesys Audio Connector",
    serviceProvider: "genesys_audio_connector",
    security: {
        apiKey: config.requireSecret("genesysApiKey"),
        clientSecret: config.requireSecret("genesysClientSecret"), // base64
    },
    attachedEnvironments: [
        { agentId: customerCare.agentId, environmentId: customerCare.environmentId },
        { agentId: billing.agentId, environmentId: billing.environmentId },
    ],
});

export const supportTrunkId = supportTrunk.id;
export const sipUri = supportTrunk.sipUri; // give this to the carrier
export const genesysId = genesysAudioConnector.id;
export const audioConnectUri = genesysAudioConnector.audioConnectUri;
export const connectors = genesysAudioConnector.connectors;
