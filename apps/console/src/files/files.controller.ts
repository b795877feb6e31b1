/// <reference types="multer" />
import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  Inject,
  Param,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorCodes } from '@hub/platform';
import { CurrentPrincipal, Roles } from '../auth/auth.guard';
import { Principal, canSeeCouncil } from '../auth/principal';
import { FileUploadReport, FileUploadService } from './file-upload.service';

/** The largest export accepted in one upload; a year of a large council's spend is well under it. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

@ApiTags('files')
@ApiBearerAuth()
@Controller('api/councils')
export class FilesController {
  constructor(@Inject(FileUploadService) private readonly files: FileUploadService) {}

  @Post(':council/feeds/:domain/files')
  @Roles('ops', 'council')
  @HttpCode(201)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } }))
  @ApiOperation({
    summary:
      "Upload a council's CSV or XML file export; answers with the file id and row counts (200 with duplicate=true for a file already received)",
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        encoding: { type: 'string', example: 'windows-1252' },
      },
    },
  })
  async upload(
    @Param('council') council: string,
    @Param('domain') domain: string,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body('encoding') encoding: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FileUploadReport> {
    if (!canSeeCouncil(principal, council)) {
      throw new ForbiddenException({
        code: ErrorCodes.AUTH_FORBIDDEN,
        message: `This token cannot upload files for ${council}.`,
      });
    }
    if (!file) {
      throw new BadRequestException({
        code: ErrorCodes.REQUEST_INVALID,
        message: 'Send the export as multipart/form-data in the field "file".',
      });
    }
    const report = await this.files.upload({
      council,
      domain,
      fileName: file.originalname,
      contentType: file.mimetype,
      encoding: encoding || undefined,
      bytes: file.buffer,
      uploadedBy: principal.name,
    });
    if (report.duplicate) res.status(200);
    return report;
  }
}
