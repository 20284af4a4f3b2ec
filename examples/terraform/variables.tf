# --8<-- [start:credentials]
# Credentials: sensitive, ephemeral (never in a plan or the state), set in the environment as TF_VAR_<name>.
variable "sip_password" {
  description = "The digest password the carrier sends (write-only)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "genesys_api_key" {
  description = "The API key shared with Genesys Cloud's Audio Connector (write-only)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "genesys_client_secret" {
  description = "The client secret shared with Genesys Cloud's Audio Connector, base64 (write-only)."
  type        = string
  sensitive   = true
  ephemeral   = true
}
# --8<-- [end:credentials]

variable "support_agent" {
  description = "The agent the trunk's number is routed to (the emulator's demo agents: customer-care, billing)."
  type        = string
  default     = "customer-care"
}

variable "billing_agent" {
  description = "The agent attached to the Genesys config."
  type        = string
  default     = "billing"
}

variable "agent_environment" {
  description = "draft or live."
  type        = string
  default     = "live"
}

variable "phone_number" {
  description = "The trunk's number, in E.164."
  type        = string
  default     = "+14155550100"
}

variable "sales_number" {
  description = "The shared trunk's number, in E.164."
  type        = string
  default     = "+14155550101"
}
