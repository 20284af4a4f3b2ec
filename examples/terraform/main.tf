# Every resource and the data source of the OpenTofu/Terraform provider phonecfg/phonecfg (the executable
# terraform-provider-phonecfg that `pip install pulumi_phonecfg` installs): a SIP trunk with a number routed to an
# agent found by name, a shared trunk with a number of its own, and a Genesys Audio Connector config with one agent
# environment attached. How to run it: README.md here.

# --8<-- [start:provider]
terraform {
  # Write-only credentials (never stored in the state) and ephemeral variables: OpenTofu 1.11 (Terraform 1.11).
  required_version = ">= 1.11"
  required_providers {
    phonecfg = {
      source = "phonecfg/phonecfg"
    }
  }
}

# Settings from the environment: PHONECFG_URL, and PHONECFG_API_KEY (or PHONECFG_TOKEN). Never a credential here.
provider "phonecfg" {}
# --8<-- [end:provider]

# --8<-- [start:agent]
# An agent by name: its ids differ in every tenant, its name does not.
data "phonecfg_agent" "support" {
  name        = var.support_agent
  environment = var.agent_environment
}
# --8<-- [end:agent]

# --8<-- [start:trunk]
resource "phonecfg_phone_config" "trunk" {
  name             = "Support SIP trunk"
  description      = "Inbound support line from the carrier"
  service_provider = "sip_trunk"
  security = {
    secure_trunking = true
    authentication  = true
    username        = "support-trunk"
    password        = var.sip_password
  }
  custom_invite_headers = [{ name = "X-Customer-Id" }]
  error_handling = {
    transfer_failure = {
      reply_message   = "Sorry, nobody can take your call right now."
      disconnect_call = true
    }
  }
  phone_numbers = [
    {
      phone_number   = var.phone_number
      description    = "Support hotline"
      agent_id       = data.phonecfg_agent.support.agent_id
      environment_id = data.phonecfg_agent.support.environment_id
    },
  ]
}
# --8<-- [end:trunk]

# --8<-- [start:phone-number]
# A trunk shared by teams declares no phone_numbers: each number is a phonecfg_phone_number of its own, which any
# configuration can own (declaring the list, even [], would own every number on the trunk).
resource "phonecfg_phone_config" "shared_trunk" {
  name             = "Shared SIP trunk"
  service_provider = "sip_trunk"
}

resource "phonecfg_phone_number" "sales_line" {
  config_id      = phonecfg_phone_config.shared_trunk.id
  phone_number   = var.sales_number
  description    = "Sales"
  agent_id       = data.phonecfg_agent.support.agent_id
  environment_id = data.phonecfg_agent.support.environment_id
}
# --8<-- [end:phone-number]

# --8<-- [start:genesys]
resource "phonecfg_phone_config" "genesys" {
  name             = "Genesys Audio Connector"
  service_provider = "genesys_audio_connector"
  security = {
    api_key       = var.genesys_api_key
    client_secret = var.genesys_client_secret
  }
  # No attached_environments: each phonecfg_agent_attachment owns its pair (declaring the list, even [], would
  # own the whole list and detach theirs).
}
# --8<-- [end:genesys]

# --8<-- [start:attachment]
data "phonecfg_agent" "billing" {
  name        = var.billing_agent
  environment = var.agent_environment
}

resource "phonecfg_agent_attachment" "billing" {
  config_id        = phonecfg_phone_config.genesys.id
  agent_id         = data.phonecfg_agent.billing.agent_id
  environment_id   = data.phonecfg_agent.billing.environment_id
  agent_name       = data.phonecfg_agent.billing.agent_name
  environment_name = data.phonecfg_agent.billing.environment_name
}
# --8<-- [end:attachment]

# --8<-- [start:outputs]
# What the carrier sends calls to.
output "sip_uri" {
  value = phonecfg_phone_config.trunk.sip_uri
}

# What Genesys Cloud's Audio Connector integration needs: the base URI and the attached agent's connector id.
output "audio_connect_uri" {
  value = phonecfg_agent_attachment.billing.audio_connect_uri
}

output "billing_connector_id" {
  value = phonecfg_agent_attachment.billing.connector_id
}
# --8<-- [end:outputs]
