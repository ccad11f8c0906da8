{{/* SPDX-License-Identifier: Apache-2.0 */}}
{{- define "app.name" -}}app{{- end -}}
