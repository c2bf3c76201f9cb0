#ifndef YEARBOOK_WORKBOOK_ZIP_H
#define YEARBOOK_WORKBOOK_ZIP_H

/* The deflate level the workbook's parts are written with (see workbook_zip.c). */
int yearbook_zip_level(void);

#endif
