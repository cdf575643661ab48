package engine

import (
	"crypto/sha256"
	"fmt"
	"strings"
)

// DynamoDB encrypts every table at rest. A table encrypted with a KMS key
// (SSESpecification with Enabled true, or SSEType KMS) is described with an
// SSEDescription naming the key's ARN; one with the AWS owned key (the
// default, or Enabled false) has none. There is no KMS here: a key ID or key
// ARN is taken as given, and the AWS managed key (alias/aws/dynamodb, used
// when no key is named) or another alias stands for a key ARN made up from
// the account, the region and the alias, the same every time.

// SSEDescription describes a table's server-side encryption with a KMS key.
type SSEDescription struct {
	Status          string `json:"Status"`
	SSEType         string `json:"SSEType"`
	KMSMasterKeyArn string `json:"KMSMasterKeyArn"`
}

// defaultKMSAlias is the AWS managed key DynamoDB uses when no key is named.
const defaultKMSAlias = "alias/aws/dynamodb"

// kmsKeyARN returns the ARN of the KMS key that s asks for, or "" for the
// AWS owned key.
func (e *Engine) kmsKeyARN(s *SSESpecification) string {
	if s == nil {
		return ""
	}
	kms := s.SSEType != nil && *s.SSEType == "KMS"
	if s.Enabled != nil {
		kms = *s.Enabled && (s.SSEType == nil || kms)
	}
	if !kms {
		return ""
	}
	id := defaultKMSAlias
	if s.KMSMasterKeyID != nil && *s.KMSMasterKeyID != "" {
		id = *s.KMSMasterKeyID
	}
	switch {
	case strings.HasPrefix(id, "arn:") && strings.Contains(id, ":key/"):
		return id
	case !strings.HasPrefix(id, "arn:") && !strings.HasPrefix(id, "alias/"):
		return e.kmsARN(id)
	}
	alias := id[strings.LastIndex(id, "alias/"):]
	sum := sha256.Sum256([]byte(e.account + "/" + e.region + "/" + alias))
	return e.kmsARN(fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16]))
}

// updatedKMSKey returns the KMS key of a table encrypted with key (an ARN,
// or "") that UpdateTable gives s: a specification naming only a key
// changes the key of a table encrypted with a KMS key, and nothing else.
func (e *Engine) updatedKMSKey(key string, s *SSESpecification) string {
	if s.Enabled == nil && s.SSEType == nil {
		if key == "" || s.KMSMasterKeyID == nil {
			return key
		}
		return e.kmsKeyARN(&SSESpecification{SSEType: sp("KMS"), KMSMasterKeyID: s.KMSMasterKeyID})
	}
	return e.kmsKeyARN(s)
}

// kmsARN is the ARN of the KMS key with ID id in the engine's account and
// region.
func (e *Engine) kmsARN(id string) string {
	return "arn:aws:kms:" + e.region + ":" + e.account + ":key/" + id
}

// sseOut describes the encryption of a table whose KMS key is keyARN.
func sseOut(keyARN string) *SSEDescription {
	if keyARN == "" {
		return nil
	}
	return &SSEDescription{Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: keyARN}
}
