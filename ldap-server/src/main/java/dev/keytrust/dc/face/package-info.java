/**
 * AD's face as clients read it: the rootDSE and its operational modifies, AD's filter forms and matching rules,
 * constructed attributes, object category names, the read-only global catalog, WhoAmI, and how results are shaped.
 * Internal to the DC.
 */
package dev.keytrust.dc.face;
