/**
 * Who may do what on a DC and as whom: AD's access rules (including msDS-KeyCredentialLink writes), account
 * defaults and computer rights, passwords and the credentials derived from them, security descriptors, and bind
 * handling. Internal to the DC.
 */
package dev.keytrust.dc.access;
