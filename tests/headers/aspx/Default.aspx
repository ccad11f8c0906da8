<%-- SPDX-License-Identifier: MIT --%>
<%@ Page Language="C#" %>
