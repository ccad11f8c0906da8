<#-- SPDX-License-Identifier: Apache-2.0 -->
<h1>${title}</h1>
