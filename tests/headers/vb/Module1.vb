' SPDX-License-Identifier: MIT
Module Module1
    Sub Main()
    End Sub
End Module
