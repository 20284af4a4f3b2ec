// Every resource and function of the phonecfg package: getAgent, a SIP trunk whose number is its own PhoneNumber
// resource, and a Genesys Audio Connector config with an agent attached by an AgentAttachment.
import * as pulumi from "@pulumi/pulumi";
import * as phonecfg from "pulumi-phonecfg";

const config = new pulumi.Config();
const agentEnvironment = config.require("agentEnvironment");

// --8<-- [start:trunk]
const customerCare = phonecfg.getAgentOutput({ name: "customer-care", environment: agentEnvironment });
const billing = phonecfg.getAgentOutput({ name: "billing", environment: agentEnvironment });

// No phoneNumbers here: the PhoneNumber resources own the trunk's numbers (declaring the list would own it all).
const supportTrunk = new phonecfg.PhoneConfig("supportTrunk", {
    name: "Support SIP trunk",
    security: {
        secureTrunking: true,
        authentication: true,
        username: "support-trunk",
        password: config.requireSecret("sipPassword"),
    },
});
new phonecfg.PhoneNumber("supportLine", {
    configId: supportTrunk.id,
    phoneNumber: config.require("supportNumber"),
    description: "Support hotline",
    agentId: customerCare.agentId,
    environmentId: customerCare.environmentId,
});
// --8<-- [end:trunk]

// No attachedEnvironments here: the AgentAttachment resources own the attached agents.
const genesysAudioConnector = new phonecfg.PhoneConfig("genesysAudioConnector", {
    name: "Genesys Audio Connector",
    serviceProvider: "genesys_audio_connector",
    security: {
        apiKey: config.requireSecret("genesysApiKey"),
        clientSecret: config.requireSecret("genesysClientSecret"), // base64
    },
});
const billingAttachment = new phonecfg.AgentAttachment("billingAttachment", {
    configId: genesysAudioConnector.id,
    agentId: billing.agentId,
    environmentId: billing.environmentId,
    agentName: billing.agentName,
    environmentName: billing.environmentName,
});

export const sipUri = supportTrunk.sipUri; // give this to the carrier
export const connectorId = billingAttachment.connectorId; // enter these two in Genesys Cloud
export const audioConnectUri = billingAttachment.audioConnectUri;
