#ifndef YEARBOOK_ZIP_LEVEL_H
#define YEARBOOK_ZIP_LEVEL_H

/* The deflate level the workbook's parts are written with (see zip_level.c). */
int yearbook_zip_level(void);

#endif
